package dev.streamchat.streaming;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import dev.streamchat.StreamChatApplication;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.FakeChatModel;
import dev.streamchat.testing.FakeChatModelConfiguration;
import dev.streamchat.testing.FakeGeminiConfiguration;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server goes away mid-answer and comes back on the same database: nothing is left
 * streaming, the text that was stored is kept, and the answer can be retried.
 */
class RestartTest {

	@TempDir
	Path dataDir;

	/**
	 * The app on the test's file database, answering from a {@link FakeChatModel} of its
	 * own (what is tested is storage and the streaming service's lifecycle, not the
	 * model's wire). It keeps its web server: the UI's beans need one.
	 */
	ConfigurableApplicationContext start() {
		// arguments, not builder properties: those are defaults that the test profile
		// would override
		return new SpringApplicationBuilder(StreamChatApplication.class, FakeChatModelConfiguration.class)
			.profiles("test")
			.run("--server.port=0",
					"--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("chat") + ";DB_CLOSE_ON_EXIT=FALSE",
					"--chat.model.api-key=" + FakeGeminiConfiguration.API_KEY, "--chat.model.models=gemini-2.5-flash",
					"--chat.streaming.shutdown-grace=5s");
	}

	@Test
	void repliesCutOffByAShutdownOrACrashAreInterruptedWithTheirTextAndCanBeRetried() throws Exception {
		CountDownLatch never = new CountDownLatch(1);

		MessageId shutDown;
		MessageId crashed;
		PaneRef pane;
		try (ConfigurableApplicationContext first = start()) {
			first.getBean(FakeChatModel.class)
				.when("cut off", chunks("Half of ", "the answer ", "and the rest").holdAfter(2, never));
			ConversationStore paneStore = first.getBean(ConversationStore.class);
			Messages messageStore = first.getBean(Messages.class);
			ReplyWriter replyWriter = first.getBean(ReplyWriter.class);
			UserId alice = first.getBean(UserAccounts.class).find(TestUsers.ALICE).orElseThrow();
			Conversation created = paneStore.create(alice, "gemini-2.5-flash");
			pane = new PaneRef(alice, created);
			StreamingService streaming = first.getBean(StreamingService.class);
			shutDown = streaming.send(alice, created.id(), "cut off mid-answer").id();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> messageStore.storedText(shutDown).equals("Half of the answer "));

			// a reply whose server died without a word: streaming in storage, no
			// generation anywhere
			Conversation other = paneStore.create(alice, "gemini-2.5-flash");
			messageStore.addUserMessage(other.owner(), other.id(), "crash question");
			crashed = replyWriter.startReply(other.id(), "gemini-2.5-flash").id();
			replyWriter.append(crashed, 0, "stored before the crash");
		}
		assertThat(Files.exists(dataDir.resolve("chat.mv.db"))).isTrue();

		try (ConfigurableApplicationContext second = start()) {
			ConversationStore paneStore = second.getBean(ConversationStore.class);
			Messages messageStore = second.getBean(Messages.class);
			ReplyWriter replyWriter = second.getBean(ReplyWriter.class);
			ChatMessage interrupted = messageStore.message(pane.owner(), shutDown).orElseThrow();
			assertThat(interrupted.status()).isEqualTo(MessageStatus.INTERRUPTED);
			assertThat(interrupted.text()).isEqualTo("Half of the answer ");
			assertThat(interrupted.error()).contains("shut down");

			ChatMessage orphan = messageStore.message(pane.owner(), crashed).orElseThrow();
			assertThat(orphan.status()).isEqualTo(MessageStatus.INTERRUPTED);
			assertThat(orphan.text()).isEqualTo("stored before the crash");
			assertThat(orphan.error()).contains("restarted");

			second.getBean(FakeChatModel.class).when("cut off", chunks("A complete answer."));
			StreamingService streaming = second.getBean(StreamingService.class);
			MessageId retried = streaming.retry(pane.owner(), shutDown).id();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> messageStore.stored(retried).orElseThrow().status().isFinal());
			assertThat(messageStore.stored(retried).orElseThrow().text()).isEqualTo("A complete answer.");
		}
	}

	record PaneRef(UserId owner, Conversation pane) {
	}

}
