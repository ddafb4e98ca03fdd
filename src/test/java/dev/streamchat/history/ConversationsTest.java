package dev.streamchat.history;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationSummary;
import dev.streamchat.history.ConversationEvent.Change;
import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.StreamingTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The conversation list's service, with the whole app and the fake Gemini (model titles
 * off, as in every shared test).
 */
class ConversationsTest extends StreamingTestSupport {

	@Autowired
	Conversations conversations;

	@Autowired
	ConversationEvents conversationEvents;

	final List<ConversationEvent> told = new CopyOnWriteArrayList<>();

	ConversationEvents.Subscription subscription;

	@BeforeEach
	void listen() {
		subscription = conversationEvents.subscribe(alice, told::add);
	}

	@AfterEach
	void stopListening() {
		subscription.close();
	}

	ConversationSummary conversation(ConversationId id) {
		return paneStore.conversation(alice, id).orElseThrow();
	}

	@Test
	void theExportIsTheConversationAsItStandsInMarkdown() {
		fake.when("first question", Reply.chunks("A **bold** first answer."));
		awaitEnd(streaming.send(alice, pane.id(), "first question").id());
		fake.when("first question", Reply.chunks("The regenerated answer."));
		ChatMessage regenerated = streaming.regenerate(alice, messageStore.history(alice, pane.id()).getLast().id());
		awaitEnd(regenerated.id());
		fake.when("sum", Reply.events(Chunk.call("calculate", Map.of("expression", "2+3"))));
		fake.when("sum", Reply.chunks("It is 5."));
		awaitEnd(streaming.send(alice, pane.id(), "the sum of 2 and 3?").id());
		conversations.rename(alice, pane.id(), "Sums: and/or <answers>?");

		MarkdownExport export = conversations.export(alice, pane.id()).orElseThrow();

		assertThat(export.fileName()).isEqualTo("Sums_ and_or _answers__.md");
		assertThat(export.markdown()).isEqualTo("""
				# Sums: and/or <answers>?

				**You:**

				first question

				**Model (gemini-2.5-flash):**

				The regenerated answer.

				**You:**

				the sum of 2 and 3?

				**Model (gemini-2.5-flash):**

				> Tool call: `calculate` {"expression":"2+3"} → done

				It is 5.
				""");
		assertThat(export.markdown()).as("the superseded version is left out").doesNotContain("bold");
	}

	@Test
	void anotherUsersOrADeletedConversationHasNoExport() {
		conversations.delete(alice, pane.id());
		assertThat(conversations.export(alice, pane.id())).isEmpty();
		conversations.restore(alice, pane.id());
		var bob = accounts.find("bob").orElseGet(() -> accounts.create("bob", "bob-secret-password"));
		assertThat(conversations.export(bob, pane.id())).isEmpty();
		assertThat(conversations.export(alice, pane.id())).isPresent();
	}

	@Test
	void aConversationIsNotDeletedWhileAnAnswerStreamsInIt() {
		CountDownLatch release = new CountDownLatch(1);
		fake.when("long", Reply.chunks("Still ", "going").holdAfter(1, release));
		ChatMessage reply = streaming.send(alice, pane.id(), "a long answer");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> streaming.live(alice, reply.id()).map(l -> !l.text().isEmpty()).orElse(false));

		assertThatThrownBy(() -> conversations.delete(alice, pane.id())).isInstanceOf(ConversationBusyException.class)
			.hasMessageContaining("still streaming");
		assertThat(paneStore.conversation(alice, pane.id())).isPresent();

		release.countDown();
		awaitEnd(reply.id());
		assertThat(conversations.delete(alice, pane.id())).isTrue();
		assertThat(conversations.list(alice)).extracting(ConversationSummary::id).doesNotContain(pane.id());
	}

	@Test
	void everyChangeIsToldToTheOwnersTabs() {
		ConversationId created = conversations.create(alice).id();
		conversations.close(alice, created);
		conversations.open(alice, created);
		conversations.rename(alice, created, "Renamed");
		conversations.delete(alice, created);
		conversations.restore(alice, created);

		assertThat(told).filteredOn(e -> e.conversationId().equals(created))
			.extracting(ConversationEvent::change)
			.containsExactly(Change.CREATED, Change.CLOSED, Change.OPENED, Change.RENAMED, Change.DELETED,
					Change.RESTORED);
		assertThat(told).filteredOn(e -> e.change() == Change.RENAMED)
			.extracting(ConversationEvent::title)
			.containsExactly("Renamed");
	}

	@Test
	void withModelTitlesOffTheFirstAnswerTitlesTheConversationWithThePromptsFirstWords() {
		awaitEnd(
				streaming.send(alice, pane.id(), "How do I   **replace** a bicycle chain without special tools?").id());

		await().atMost(Duration.ofSeconds(10)).until(() -> conversation(pane.id()).titleSet());
		assertThat(conversation(pane.id()).title()).isEqualTo("How do I replace a bicycle…");
		assertThat(told)
			.contains(new ConversationEvent(alice, pane.id(), Change.RENAMED, "How do I replace a bicycle…"));
		assertThat(fake.requests()).as("no request of its own for the title").hasSize(1);

		// only the first answer titles a conversation
		awaitEnd(streaming.send(alice, pane.id(), "And a derailleur?").id());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> told.stream().filter(e -> e.change() == Change.ACTIVITY).count() == 2);
		assertThat(conversation(pane.id()).title()).isEqualTo("How do I replace a bicycle…");
	}

	@Test
	void aRenamedConversationKeepsItsTitleAfterItsFirstAnswer() {
		conversations.rename(alice, pane.id(), "My own title");

		awaitEnd(streaming.send(alice, pane.id(), "something to answer").id());

		await().atMost(Duration.ofSeconds(10)).until(() -> told.stream().anyMatch(e -> e.change() == Change.ACTIVITY));
		assertThat(conversation(pane.id()).title()).isEqualTo("My own title");
	}

	@Test
	void aFailedFirstAnswerGivesNoTitle() {
		fake.when("fails", Reply.httpError(400, "INVALID_ARGUMENT", "bad request"));

		awaitEnd(streaming.send(alice, pane.id(), "this fails").id());

		await().atMost(Duration.ofSeconds(10)).until(() -> told.stream().anyMatch(e -> e.change() == Change.ACTIVITY));
		assertThat(conversation(pane.id()).titleSet()).isFalse();
	}

}
