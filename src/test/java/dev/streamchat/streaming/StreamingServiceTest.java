package dev.streamchat.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.Role;
import dev.streamchat.testing.StreamingTestSupport;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Ending;
import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class StreamingServiceTest extends StreamingTestSupport {

	static List<String> words(String prefix, int count) {
		List<String> words = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			words.add(prefix + i + (i % 9 == 8 ? ".\n\n" : " "));
		}
		return words;
	}

	@Test
	void aReplyIsStoredByteForByteAsTheModelSentIt() {
		FakeGemini.Stream script = Reply.chunks(words("tök🚀", 120)).every(Duration.ofMillis(2));
		fake.when("stream me", script);

		ChatMessage reply = streaming.send(alice, pane.id(), "stream me");

		assertThat(reply.status()).isEqualTo(MessageStatus.STREAMING);
		assertThat(reply.text()).isEmpty();
		ChatMessage done = awaitEnd(reply.id());
		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo(script.fullText());
		assertThat(done.finishReason()).isEqualTo("STOP");
		assertThat(done.usage().outputTokens()).isPositive();
		assertThat(messageStore.history(alice, pane.id())).extracting(ChatMessage::role)
			.containsExactly(Role.USER, Role.ASSISTANT);
	}

	@Test
	void theWholeConversationIsSentAsMultiTurnContents() {
		fake.when("first", Reply.chunks("First answer."));
		awaitEnd(streaming.send(alice, pane.id(), "first question").id());
		fake.when("second", Reply.chunks("Second answer."));

		awaitEnd(streaming.send(alice, pane.id(), "second question").id());

		FakeGemini.RecordedRequest last = fake.requests().getLast();
		assertThat(last.model()).isEqualTo("gemini-2.5-flash");
		assertThat(last.contents()).containsExactly(new FakeGemini.Turn("user", "first question"),
				new FakeGemini.Turn("model", "First answer."), new FakeGemini.Turn("user", "second question"));
	}

	@Test
	void aConnectionDroppedMidAnswerFailsTheReplyAndKeepsThePartialText() {
		fake.when("drop", Reply.chunks("Half ", "an ", "answer").every(Duration.ofMillis(5)).then(Ending.DISCONNECT));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "drop please").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.text()).isEqualTo("Half an answer");
		assertThat(done.error()).contains("broke off");
	}

	@Test
	void aRejectedKeyFailsTheReplyWithAReadableError() {
		fake.when("key", Reply.httpError(401, "UNAUTHENTICATED", "API key not valid."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "bad key").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.text()).isEmpty();
		assertThat(done.error()).startsWith("The API key was rejected");
	}

	@Test
	void concurrentRepliesInDifferentPanesDoNotMix() {
		List<Conversation> panes = List.of(pane, paneStore.createPane(alice, "gemini-2.5-flash"),
				paneStore.createPane(alice, "gemini-2.5-pro"));
		List<FakeGemini.Stream> scripts = new ArrayList<>();
		List<MessageId> replies = new ArrayList<>();
		for (int i = 0; i < panes.size(); i++) {
			FakeGemini.Stream script = Reply.chunks(words("pane" + i + "-", 60)).every(Duration.ofMillis(3));
			fake.when("topic-" + i, script);
			scripts.add(script);
		}
		for (int i = 0; i < panes.size(); i++) {
			replies.add(streaming.send(alice, panes.get(i).id(), "topic-" + i).id());
		}

		await().atMost(Duration.ofSeconds(20))
			.until(() -> replies.stream().allMatch(id -> messageStore.stored(id).orElseThrow().status().isFinal()));
		for (int i = 0; i < panes.size(); i++) {
			ChatMessage reply = messageStore.stored(replies.get(i)).orElseThrow();
			assertThat(reply.status()).isEqualTo(MessageStatus.COMPLETE);
			assertThat(reply.text()).isEqualTo(scripts.get(i).fullText());
			assertThat(reply.paneId()).isEqualTo(panes.get(i).id());
		}
		assertThat(fake.requests()).extracting(FakeGemini.RecordedRequest::model)
			.containsExactlyInAnyOrder("gemini-2.5-flash", "gemini-2.5-flash", "gemini-2.5-pro");
	}

	@Test
	void stopKeepsTheTextSoFarAndReleasesASilentModelsConnection() {
		fake.when("stop", Reply.chunks("Thinking ", "about it").then(Ending.SILENCE));
		ChatMessage reply = streaming.send(alice, pane.id(), "stop me");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> streaming.liveText(reply.id()).orElse("").equals("Thinking about it"));

		assertThat(streaming.stop(alice, reply.id())).isTrue();

		ChatMessage done = awaitEnd(reply.id());
		assertThat(done.status()).isEqualTo(MessageStatus.STOPPED);
		assertThat(done.text()).isEqualTo("Thinking about it");
		await().atMost(Duration.ofSeconds(1)).until(() -> !fake.clientCloses().isEmpty());
	}

	@Test
	void retryAnswersTheSamePromptAgainAsANewReplyWithoutTheFailedText() {
		fake.when("flaky", Reply.chunks("Broken ", "half").every(Duration.ofMillis(5)).then(Ending.DISCONNECT))
			.when("flaky", Reply.chunks("A whole answer."));
		ChatMessage failed = awaitEnd(streaming.send(alice, pane.id(), "flaky question").id());
		assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);

		ChatMessage retried = awaitEnd(streaming.retry(alice, failed.id()).id());

		assertThat(retried.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(retried.text()).isEqualTo("A whole answer.");
		assertThat(messageStore.stored(failed.id()).orElseThrow().text()).as("the failed attempt is kept")
			.isEqualTo("Broken half");
		// the model is asked the same question again, without the broken half answer
		assertThat(fake.requests().getLast().contents()).containsExactly(new FakeGemini.Turn("user", "flaky question"));
		assertThat(messageStore.history(alice, pane.id())).extracting(ChatMessage::role)
			.containsExactly(Role.USER, Role.ASSISTANT, Role.ASSISTANT);
		assertThatThrownBy(() -> streaming.retry(alice, failed.id())).isInstanceOf(PromptRejectedException.class)
			.hasMessageContaining("latest");
	}

	@Test
	void onlyOneReplyStreamsPerPane() {
		fake.when("long", Reply.chunks("a ", "long ", "answer").every(Duration.ofMillis(200)));
		ChatMessage first = streaming.send(alice, pane.id(), "long one");

		assertThatThrownBy(() -> streaming.send(alice, pane.id(), "impatient"))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessageContaining("still streaming");

		awaitEnd(first.id());
		assertThat(messageStore.history(alice, pane.id())).extracting(ChatMessage::text).doesNotContain("impatient");
	}

	@Test
	void emptyAndOversizedPromptsAreRefusedAndNothingIsStored() {
		assertThatThrownBy(() -> streaming.send(alice, pane.id(), "  \n\t "))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessage("Type a message first.");
		assertThatThrownBy(() -> streaming.send(alice, pane.id(), "x".repeat(32_001)))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessageContaining("too long");

		assertThat(messageStore.history(alice, pane.id())).isEmpty();
		assertThat(fake.requests()).isEmpty();
	}

	// ---- answers grounded in web sources (issue 13)

	@Test
	void aGroundedAnswerKeepsItsSourcesAndCitationsAtTheRightPlaceAsStreamedAndAsStored() {
		String first = "Köln liegt am Rhein 🚢. ";
		String second = "Der Dom ist 157 m hoch.";
		String metadata = FakeGemini.groundingMetadata(first + second,
				List.of(new FakeGemini.WebSource("Kölner Dom", "https://www.koelner-dom.de/", "koelner-dom.de"),
						new FakeGemini.WebSource("Köln – Wikipedia", "https://de.wikipedia.org/wiki/K%C3%B6ln", null),
						new FakeGemini.WebSource("Kölner Dom again", "https://www.koelner-dom.de/", null)),
				java.util.Map.of("Köln liegt am Rhein 🚢.", List.of(1), "Der Dom ist 157 m hoch.", List.of(0, 2)),
				List.of("Kölner Dom Höhe"), null);
		fake.when("Köln",
				Reply.events(FakeGemini.Chunk.text(first), FakeGemini.Chunk.text(second).withGrounding(metadata)));
		paneStore.changeWebSearch(alice, pane.id(), true);

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "Wie hoch ist der Dom in Köln?").id());

		assertThat(fake.requests().getLast().builtInTools()).contains("googleSearch");
		Grounding grounding = java.util.Objects.requireNonNull(done.grounding());
		// the same page twice is one source; numbers follow first appearance
		assertThat(grounding.sources()).extracting(Grounding.Source::uri)
			.containsExactly("https://www.koelner-dom.de/", "https://de.wikipedia.org/wiki/K%C3%B6ln");
		// byte offsets (ö and 🚢 are 2 and 4 bytes) become the ends of the sentences in
		// the answer's characters
		assertThat(grounding.citations()).containsExactly(new Grounding.Citation(first.length() - 1, List.of(2)),
				new Grounding.Citation(done.text().length(), List.of(1)));
		assertThat(grounding.queries()).containsExactly("Kölner Dom Höhe");
		// published live, as stored
		assertThat(events).filteredOn(e -> e instanceof MessageEvent.Grounded)
			.last()
			.satisfies(e -> assertThat(((MessageEvent.Grounded) e).grounding()).isEqualTo(grounding));
	}

}
