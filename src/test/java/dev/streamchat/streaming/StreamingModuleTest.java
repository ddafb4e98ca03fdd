package dev.streamchat.streaming;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.ToolPart.ToolStatus;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.FakeChatModel;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static dev.streamchat.testing.FakeChatModel.failure;
import static dev.streamchat.testing.FakeChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The streaming module with what it depends on (chat, model, broadcast, tools, security)
 * and nothing above it (no history, no UI), answering from the in-memory
 * {@link FakeChatModel}: the streaming logic (rounds, retries, stop, versions) without
 * HTTP or the SDK in the way.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES, extraIncludes = "security")
@ActiveProfiles("test")
// a small context limit (about 4 000 bytes of conversation) so that a test can go past it
// cheaply
@org.springframework.test.context.TestPropertySource(properties = "chat.streaming.max-context-tokens=1000")
@Import(StreamingModuleTest.FakeModel.class)
class StreamingModuleTest {

	@TestConfiguration(proxyBeanMethods = false)
	static class FakeModel {

		@Bean
		@Primary
		FakeChatModel fakeChatModel() {
			return new FakeChatModel();
		}

	}

	@Autowired
	StreamingService streaming;

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	UserAccounts accounts;

	@Autowired
	MessageBroadcaster broadcaster;

	@Autowired
	FakeChatModel model;

	UserId alice;

	Conversation pane;

	final List<MessageEvent> events = new CopyOnWriteArrayList<>();

	MessageBroadcaster.Subscription subscription;

	@BeforeEach
	void setUp() {
		model.reset();
		alice = accounts.find(TestUsers.ALICE).orElseThrow();
		pane = paneStore.createPane(alice, "demo");
		subscription = broadcaster.subscribe(pane.id(), events::add);
	}

	@AfterEach
	void tearDown() {
		subscription.close();
	}

	ChatMessage awaitEnd(MessageId reply) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !streaming.isStreaming(pane.id())
					&& messageStore.message(alice, reply).orElseThrow().status().isFinal());
		return messageStore.message(alice, reply).orElseThrow();
	}

	@Test
	void theAnswerIsStoredAsStreamedAndTheConversationIsSentAsTurns() {
		model.when("first", chunks("One ", "answer."));
		awaitEnd(streaming.send(alice, pane.id(), "first question").id());
		model.when("second", chunks("Two."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "second question").id());

		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo("Two.");
		assertThat(model.requests().getLast().history()).extracting(ModelRequest.Turn::text)
			.containsExactly("first question", "One answer.", "second question");
	}

	@Test
	void pastTheContextLimitTheOldestExchangesAreLeftOutAndTheReplySaysHowMany() {
		String filler = " lorem ipsum".repeat(125); // 1 500 characters, about 375 tokens
		model.when("first", chunks("One."));
		awaitEnd(streaming.send(alice, pane.id(), "first" + filler).id());
		model.when("second", chunks("Two."));
		awaitEnd(streaming.send(alice, pane.id(), "second" + filler).id());
		model.when("third", chunks("Three."));

		ChatMessage third = streaming.send(alice, pane.id(), "third" + filler);
		ChatMessage done = awaitEnd(third.id());

		assertThat(model.requests().getLast().history()).extracting(ModelRequest.Turn::text)
			.containsExactly("second" + filler, "Two.", "third" + filler);
		assertThat(third.contextDropped()).as("told with the new reply").isEqualTo(2);
		assertThat(done.contextDropped()).as("and stored").isEqualTo(2);
		assertThat(events).filteredOn(MessageEvent.Added.class::isInstance)
			.map(e -> ((MessageEvent.Added) e).message())
			.filteredOn(m -> m.id().equals(third.id()))
			.singleElement()
			.satisfies(m -> assertThat(m.contextDropped()).isEqualTo(2));
		assertThat(messageStore.history(alice, pane.id())).as("nothing is deleted").hasSize(6);
	}

	@Test
	void aToolRoundRunsTheToolAndTheAnswerContinuesWithItsResult() {
		model.when("what time", toolCall("current_time", Map.of("time_zone", "Asia/Tokyo")),
				chunks("Morning in Tokyo."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "what time is it?").id());

		assertThat(done.text()).isEqualTo("Morning in Tokyo.");
		assertThat(done.parts()).singleElement().satisfies(part -> {
			assertThat(part.name()).isEqualTo("current_time");
			assertThat(part.status()).isEqualTo(ToolStatus.DONE);
		});
		assertThat(model.toolResults()).singleElement()
			.satisfies(results -> assertThat(results).singleElement()
				.satisfies(r -> assertThat(r.result()).containsKey("utc_offset")));
	}

	@Test
	void aTransientFailureBeforeTheFirstTokenIsRetriedVisibly() {
		model.when("busy", failure(new ModelException(ModelException.Kind.RATE_LIMITED, 429, "Rate limited.", null)));
		model.when("busy", chunks("Finally."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "busy model").id());

		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo("Finally.");
		assertThat(model.requests()).hasSize(2);
		assertThat(events).filteredOn(MessageEvent.PhaseChanged.class::isInstance)
			.map(e -> ((MessageEvent.PhaseChanged) e).phase())
			.contains(MessageEvent.Phase.RETRYING);
	}

	@Test
	void aFailureAfterTextIsNotRetriedAndKeepsTheText() {
		model.when("half", chunks("Half ", "an answer")
			.failing(new ModelException(ModelException.Kind.SERVER, 503, "The model failed.", null)));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "half please").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.text()).isEqualTo("Half an answer");
		assertThat(model.requests()).hasSize(1);
	}

	@Test
	void stopEndsASilentModelsAnswerWithTheTextSoFar() {
		model.when("silent", chunks("So far").then(FakeChatModel.Ending.SILENCE));
		ChatMessage reply = streaming.send(alice, pane.id(), "silent model");
		await().atMost(Duration.ofSeconds(5)).until(() -> streaming.liveText(reply.id()).orElse("").equals("So far"));

		assertThat(streaming.stop(alice, reply.id())).isTrue();

		ChatMessage done = awaitEnd(reply.id());
		assertThat(done.status()).isEqualTo(MessageStatus.STOPPED);
		assertThat(done.text()).isEqualTo("So far");
		assertThat(model.cancellations()).isEqualTo(1);
	}

	@Test
	void retryAsksTheSamePromptAgainWithoutTheFailedAttempt() {
		model.when("flaky",
				chunks("Broken").failing(new ModelException(ModelException.Kind.BROKEN_STREAM, "broke off")));
		model.when("flaky", chunks("Whole."));
		ChatMessage failed = awaitEnd(streaming.send(alice, pane.id(), "flaky question").id());

		ChatMessage retried = awaitEnd(streaming.retry(alice, failed.id()).id());

		assertThat(retried.text()).isEqualTo("Whole.");
		assertThat(model.requests().getLast().history()).extracting(ModelRequest.Turn::text)
			.containsExactly("flaky question");
		assertThat(messageStore.history(alice, pane.id())).extracting(ChatMessage::role)
			.containsExactly(Role.USER, Role.ASSISTANT, Role.ASSISTANT);
		assertThatThrownBy(() -> streaming.regenerate(alice, new MessageId(Long.MAX_VALUE)))
			.isInstanceOf(PromptRejectedException.class);
	}

}
