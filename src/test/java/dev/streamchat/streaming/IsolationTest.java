package dev.streamchat.streaming;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.FakeModelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** User B knows the ids of user A's pane and reply, and can do nothing with them. */
class IsolationTest extends FakeModelTestSupport {

	UserId bob;

	@BeforeEach
	void createBob() {
		bob = accounts.find("bob").orElseGet(() -> accounts.create("bob", "bob-secret-password"));
	}

	@Test
	void anotherUserCannotReadStreamIntoStopOrRetryAPane() {
		CountDownLatch release = new CountDownLatch(1);
		model.when("private", chunks("Alice's ", "secret ", "answer").holdAfter(2, release));
		Conversation alicesPane = pane;
		ChatMessage reply = streaming.send(alice, alicesPane.id(), "private question");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> streaming.liveText(alice, reply.id()).orElse("").equals("Alice's secret "));

		assertThatThrownBy(() -> streaming.send(bob, alicesPane.id(), "let me in"))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessage("This chat no longer exists.");
		assertThat(streaming.stop(bob, reply.id())).isFalse();
		assertThat(streaming.live(bob, reply.id())).as("alice's streaming text, read by bob").isEmpty();
		assertThat(streaming.liveText(bob, reply.id())).as("alice's streaming text, read by bob").isEmpty();
		assertThat(streaming.live(alice, reply.id())).isPresent();
		assertThat(streaming.isStreaming(alice, alicesPane.id())).isTrue();
		assertThat(streaming.isStreaming(bob, alicesPane.id())).as("whether alice's chat streams, asked by bob")
			.isFalse();
		assertThat(messageStore.history(bob, alicesPane.id())).isEmpty();
		assertThat(messageStore.message(bob, reply.id())).isEmpty();
		assertThat(paneStore.openConversations(bob)).extracting(Conversation::id).doesNotContain(alicesPane.id());

		release.countDown();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> messageStore.message(alice, reply.id()).orElseThrow().status().isFinal());
		ChatMessage done = messageStore.message(alice, reply.id()).orElseThrow();
		assertThat(done.status()).as("bob's stop did nothing").isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo("Alice's secret answer");
		assertThatThrownBy(() -> streaming.retry(bob, reply.id())).isInstanceOf(PromptRejectedException.class);
		assertThat(messageStore.history(alice, alicesPane.id())).extracting(ChatMessage::text)
			.containsExactly("private question", "Alice's secret answer");
		assertThat(model.requests()).extracting(ModelRequest::lastUserText).isEqualTo(List.of("private question"));
	}

}
