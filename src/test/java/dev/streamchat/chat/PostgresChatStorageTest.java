package dev.streamchat.chat;

import dev.streamchat.testing.OnPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage tests again, on a real PostgreSQL (text, UTF-16 offsets, surrogate pairs,
 * 200 k characters).
 */
@OnPostgres
class PostgresChatStorageTest extends ChatStorageTest {

	@Test
	void aLongBatchIsStoredDeflatedAndAShortOneAsText() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
		String text = sampleText(4_010);

		replyWriter.append(reply.id(), 0, text.substring(0, 4_000));
		replyWriter.append(reply.id(), 4_000, text.substring(4_000));

		// issue 15: the batches' WAL and pages are one of the two copies of an answer
		assertThat(packedBytesAt(reply.id(), 0)).isPositive().isLessThan(4_000 / 2);
		assertThat(packedBytesAt(reply.id(), 4_000)).isZero();
		assertThat(messageStore.storedText(reply.id())).isEqualTo(text);
	}

}
