package dev.streamchat.chat.internal;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchTextTest {

	@Test
	void aLongBatchIsStoredDeflatedAndReadsBackWhole() {
		String text = "Streaming 🚀 ünïcödé prose, **bold** and `code`; ".repeat(80);

		byte[] packed = BatchText.pack(text);

		assertThat(packed.length).isPositive().isLessThan(text.getBytes(StandardCharsets.UTF_8).length / 4);
		assertThat(BatchText.content(text, packed)).isEmpty();
		assertThat(BatchText.unpack(BatchText.content(text, packed), packed)).isEqualTo(text);
	}

	@Test
	void aBatchThatWouldNotShrinkKeepsItsText() {
		for (String text : new String[] { "", "a", "Hello 🚀", "x7Qz" }) {
			byte[] packed = BatchText.pack(text);

			assertThat(packed).isEmpty();
			assertThat(BatchText.content(text, packed)).isEqualTo(text);
			assertThat(BatchText.unpack(text, packed)).isEqualTo(text);
		}
	}

	@Test
	void aRowWrittenBeforeBatchesWerePackedReadsAsItsText() {
		assertThat(BatchText.unpack("stored as text", null)).isEqualTo("stored as text");
	}

}
