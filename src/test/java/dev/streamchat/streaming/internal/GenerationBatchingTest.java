package dev.streamchat.streaming.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.streaming.StreamingProperties;
import dev.streamchat.testing.FakeChatModel;
import org.junit.jupiter.api.Test;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fast model (2 000 chunks of 1–3 characters, one a millisecond), stored once with the
 * configured batching and once with batching off, to show what batching saves and that
 * the stored text is byte-identical either way.
 */
class GenerationBatchingTest extends GenerationTestSupport {

	record Run(String name, int writes, long millis, ChatMessage reply) {
	}

	@Test
	void batchingCutsStorageWritesAndKeepsTheTextByteIdentical() {
		FakeChatModel.Round script = chunks(tinyChunks(2_000)).every(Duration.ofMillis(1));
		model.when("batched", script).when("unbatched", script);

		Run batched = run("batched", properties.withFlush(Duration.ofMillis(50), 100));
		Run unbatched = run("unbatched", properties.withFlush(Duration.ZERO, 1));

		for (Run run : List.of(batched, unbatched)) {
			assertThat(run.reply().status()).isEqualTo(MessageStatus.COMPLETE);
			assertThat(run.reply().text()).isEqualTo(script.text());
		}
		int chars = script.text().length();
		// each write is due to 100 pending characters or a 50 ms old one, plus the last
		assertThat(batched.writes()).isLessThanOrEqualTo(chars / 100 + (int) (batched.millis() / 50) + 2);
		// without batching a write per chunk while the writer keeps up; on a loaded
		// machine it falls behind and carries several chunks at once (410 writes of 2 000
		// chunks at load 31, against 95 batched), so the margin is 2x, not the 20x of an
		// idle machine
		assertThat(unbatched.writes()).isGreaterThan(batched.writes() * 2);
	}

	private Run run(String prompt, StreamingProperties flush) {
		ChatMessage reply = storedReply(prompt, null);
		Generation generation = generation(reply, prompt, model, new BatchingReplyStorage(replyWriter, flush), flush,
				null);
		long start = System.nanoTime();
		generation.run();
		long millis = (System.nanoTime() - start) / 1_000_000;
		return new Run(prompt, generation.storageWrites(), millis, messageStore.stored(reply.id()).orElseThrow());
	}

	private static List<String> tinyChunks(int count) {
		Random random = new Random(42);
		String alphabet = "abcdefghijklmnopqrstuvwxyz äöü🚀.,\n";
		List<String> chunks = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			StringBuilder chunk = new StringBuilder();
			int length = 1 + random.nextInt(3);
			while (chunk.length() < length) {
				int at = random.nextInt(alphabet.length());
				if (Character.isSurrogate(alphabet.charAt(at))) {
					chunk.append("🚀");
				}
				else {
					chunk.append(alphabet.charAt(at));
				}
			}
			chunks.add(chunk.toString());
		}
		return chunks;
	}

}
