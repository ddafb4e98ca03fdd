package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Conversation;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.streaming.StreamingProperties;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.AppTest;
import dev.streamchat.tools.ToolContext;
import dev.streamchat.testing.TestUsers;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fast model (2 000 chunks of 1–3 characters) through the real SDK, stored once with
 * the configured batching and once with batching off, to show what batching saves and
 * that the stored text is byte-identical either way.
 */
@AppTest
class GenerationBatchingTest {

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	ReplyWriter replyWriter;

	@Autowired
	ToolJson json;

	@Autowired
	ChatModel model;

	@Autowired
	dev.streamchat.tools.ToolBox tools;

	@Autowired
	MessageBroadcaster broadcaster;

	@Autowired
	FakeGemini fake;

	@Autowired
	UserAccounts accounts;

	@Autowired
	StreamingProperties properties;

	@Autowired
	StreamingMetrics metrics;

	record Run(String name, int writes, long millis, ChatMessage reply) {
	}

	@Test
	void batchingCutsStorageWritesAndKeepsTheTextByteIdentical() {
		fake.reset();
		UserId alice = accounts.find(TestUsers.ALICE).orElseThrow();
		List<String> chunks = tinyChunks(2_000);
		FakeGemini.Stream script = Reply.chunks(chunks).every(Duration.ofMillis(1));
		fake.when("batched", script).when("unbatched", script);

		Run batched = run(alice, "batched", properties.withFlush(Duration.ofMillis(50), 100));
		Run unbatched = run(alice, "unbatched", properties.withFlush(Duration.ZERO, 1));

		for (Run run : List.of(batched, unbatched)) {
			assertThat(run.reply().status()).isEqualTo(MessageStatus.COMPLETE);
			assertThat(run.reply().text()).isEqualTo(script.fullText());
		}
		int chars = script.fullText().length();
		// each write is due to 100 pending characters or a 50 ms old one, plus the last
		assertThat(batched.writes()).isLessThanOrEqualTo(chars / 100 + (int) (batched.millis() / 50) + 2);
		assertThat(unbatched.writes()).isGreaterThan(batched.writes() * 5);
	}

	private Run run(UserId alice, String prompt, StreamingProperties properties) {
		Conversation pane = paneStore.createPane(alice, "gemini-2.5-flash");
		messageStore.addUserMessage(pane.id(), prompt);
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
		ModelRequest request = new ModelRequest("gemini-2.5-flash",
				List.of(new ModelRequest.Turn(ModelRequest.Author.USER, prompt)));
		Generation generation = new Generation(reply.id(), new ToolContext(alice, pane.id()), request, model,
				replyWriter, messageStore, new BatchingReplyStorage(replyWriter, properties), broadcaster, tools, json,
				properties, metrics, Clock.systemUTC());
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
