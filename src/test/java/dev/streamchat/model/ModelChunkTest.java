package dev.streamchat.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelChunkTest {

	/**
	 * PostgreSQL refuses U+0000 in text: one in model output failed the append and a
	 * whole NOTIFY batch.
	 */
	@Test
	void aNulCharacterInModelTextIsDropped() {
		ModelChunk chunk = new ModelChunk("an\u0000swer\u0000", "thin\u0000king", List.of(), null, null);

		assertThat(chunk.text()).isEqualTo("answer");
		assertThat(chunk.thought()).isEqualTo("thinking");
	}

}
