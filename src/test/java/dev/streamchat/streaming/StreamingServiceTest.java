package dev.streamchat.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Role;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.SearchGrounding;
import dev.streamchat.testing.FakeChatModel;
import dev.streamchat.testing.FakeChatModel.Round;
import dev.streamchat.testing.FakeModelTestSupport;
import org.junit.jupiter.api.Test;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The commands of the streaming service against the in-memory model: what is stored, what
 * the model is sent, failures, stop, retry, one reply per pane. How the Gemini adapter
 * reads the wire (errors, disconnects, grounding metadata) is
 * {@code GeminiChatModelTest}'s.
 */
class StreamingServiceTest extends FakeModelTestSupport {

	static List<String> words(String prefix, int count) {
		List<String> words = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			words.add(prefix + i + (i % 9 == 8 ? ".\n\n" : " "));
		}
		return words;
	}

	@Test
	void aReplyIsStoredByteForByteAsTheModelSentIt() {
		Round script = chunks(words("tök🚀", 120));
		model.when("stream me", script);

		ChatMessage reply = streaming.send(alice, pane.id(), "stream me");

		assertThat(reply.status()).isEqualTo(MessageStatus.STREAMING);
		assertThat(reply.text()).isEmpty();
		ChatMessage done = awaitEnd(reply.id());
		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo(script.text());
		assertThat(done.finishReason()).isEqualTo("STOP");
		assertThat(done.usage().outputTokens()).isPositive();
		assertThat(messageStore.history(alice, pane.id())).extracting(ChatMessage::role)
			.containsExactly(Role.USER, Role.ASSISTANT);
	}

	@Test
	void theWholeConversationIsSentAsMultiTurnContents() {
		model.when("first", chunks("First ", "answer."));
		awaitEnd(streaming.send(alice, pane.id(), "first question").id());
		model.when("second", chunks("Second answer."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "second question").id());

		assertThat(done.text()).isEqualTo("Second answer.");
		ModelRequest last = model.requests().getLast();
		assertThat(last.model()).isEqualTo("gemini-2.5-flash");
		assertThat(last.history()).extracting(ModelRequest.Turn::author, ModelRequest.Turn::text)
			.containsExactly(tuple(ModelRequest.Author.USER, "first question"),
					tuple(ModelRequest.Author.MODEL, "First answer."),
					tuple(ModelRequest.Author.USER, "second question"));
	}

	@Test
	void aConnectionDroppedMidAnswerFailsTheReplyAndKeepsThePartialText() {
		model.when("drop", chunks("Half ", "an ", "answer")
			.failing(new ModelException(ModelException.Kind.BROKEN_STREAM, "The answer broke off.")));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "drop please").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.text()).isEqualTo("Half an answer");
		assertThat(done.error()).contains("broke off");
		assertThat(model.requests()).as("not retried after text").hasSize(1);
	}

	@Test
	void aRejectedKeyFailsTheReplyWithAReadableError() {
		model.when("key", FakeChatModel.failure(new ModelException(ModelException.Kind.AUTH, 401,
				"The API key was rejected (401). Check GEMINI_API_KEY.", null)));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "bad key").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.text()).isEmpty();
		assertThat(done.error()).startsWith("The API key was rejected");
		assertThat(model.requests()).as("not retried").hasSize(1);
	}

	@Test
	void concurrentRepliesInDifferentPanesDoNotMix() {
		List<Conversation> panes = List.of(pane, paneStore.create(alice, "gemini-2.5-flash"),
				paneStore.create(alice, "gemini-2.5-pro"));
		List<Round> scripts = new ArrayList<>();
		List<MessageId> replies = new ArrayList<>();
		for (int i = 0; i < panes.size(); i++) {
			Round script = chunks(words("pane" + i + "-", 60));
			model.when("topic-" + i, script);
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
			assertThat(reply.text()).isEqualTo(scripts.get(i).text());
			assertThat(reply.conversationId()).isEqualTo(panes.get(i).id());
		}
		assertThat(model.requests()).extracting(ModelRequest::model)
			.containsExactlyInAnyOrder("gemini-2.5-flash", "gemini-2.5-flash", "gemini-2.5-pro");
	}

	@Test
	void stopKeepsTheTextSoFarAndCancelsASilentModelsStream() {
		model.when("stop", chunks("Thinking ", "about it").then(FakeChatModel.Ending.SILENCE));
		ChatMessage reply = streaming.send(alice, pane.id(), "stop me");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> streaming.liveText(alice, reply.id()).orElse("").equals("Thinking about it"));

		assertThat(streaming.stop(alice, reply.id())).isTrue();

		ChatMessage done = awaitEnd(reply.id());
		assertThat(done.status()).isEqualTo(MessageStatus.STOPPED);
		assertThat(done.text()).isEqualTo("Thinking about it");
		assertThat(model.cancellations()).isEqualTo(1);
	}

	@Test
	void retryAnswersTheSamePromptAgainAsANewReplyWithoutTheFailedText() {
		model
			.when("flaky",
					chunks("Broken ", "half")
						.failing(new ModelException(ModelException.Kind.BROKEN_STREAM, "The answer broke off.")))
			.when("flaky", chunks("A whole answer."));
		ChatMessage failed = awaitEnd(streaming.send(alice, pane.id(), "flaky question").id());
		assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);

		ChatMessage retried = awaitEnd(streaming.retry(alice, failed.id()).id());

		assertThat(retried.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(retried.text()).isEqualTo("A whole answer.");
		assertThat(messageStore.stored(failed.id()).orElseThrow().text()).as("the failed attempt is kept")
			.isEqualTo("Broken half");
		// the model is asked the same question again, without the broken half answer
		assertThat(model.requests().getLast().history()).extracting(ModelRequest.Turn::text)
			.containsExactly("flaky question");
		assertThat(messageStore.history(alice, pane.id())).extracting(ChatMessage::role)
			.containsExactly(Role.USER, Role.ASSISTANT, Role.ASSISTANT);
		assertThatThrownBy(() -> streaming.retry(alice, failed.id())).isInstanceOf(PromptRejectedException.class)
			.hasMessageContaining("latest");
		assertThatThrownBy(() -> streaming.regenerate(alice, new MessageId(Long.MAX_VALUE)))
			.isInstanceOf(PromptRejectedException.class);
	}

	@Test
	void onlyOneReplyStreamsPerPane() {
		CountDownLatch release = new CountDownLatch(1);
		model.when("long", chunks("a ", "long ", "answer").holdAfter(1, release));
		ChatMessage first = streaming.send(alice, pane.id(), "long one");

		assertThatThrownBy(() -> streaming.send(alice, pane.id(), "impatient"))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessageContaining("still streaming");

		FakeChatModel.release(release);
		assertThat(awaitEnd(first.id()).text()).isEqualTo("a long answer");
		assertThat(messageStore.history(alice, pane.id())).extracting(ChatMessage::text).doesNotContain("impatient");
		assertThat(model.requests()).hasSize(1);
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
		assertThat(model.requests()).isEmpty();
	}

	// ---- answers grounded in web sources (issue 13)

	@Test
	void aGroundedAnswerKeepsItsSourcesAndCitationsAtTheRightPlaceAsStreamedAndAsStored() {
		String first = "Köln liegt am Rhein 🚢. ";
		String second = "Der Dom ist 157 m hoch.";
		String answer = first + second;
		SearchGrounding metadata = new SearchGrounding(
				List.of(new SearchGrounding.Source("Kölner Dom", "https://www.koelner-dom.de/", "koelner-dom.de"),
						new SearchGrounding.Source("Köln – Wikipedia", "https://de.wikipedia.org/wiki/K%C3%B6ln", null),
						new SearchGrounding.Source("Kölner Dom again", "https://www.koelner-dom.de/", null)),
				List.of(support(answer, "Köln liegt am Rhein 🚢.", 1),
						support(answer, "Der Dom ist 157 m hoch.", 0, 2)),
				List.of("Kölner Dom Höhe"), null, null);
		model.when("Köln", FakeChatModel.events(List.of(ModelChunk.text(first), ModelChunk.text(second),
				new ModelChunk("", "", List.of(), "STOP", null, metadata))));
		paneStore.changeWebSearch(alice, pane.id(), true);

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "Wie hoch ist der Dom in Köln?").id());

		assertThat(model.requests().getLast().webSearch()).isTrue();
		Grounding grounding = Objects.requireNonNull(done.grounding());
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

	/**
	 * A support of {@code segment} of the round's {@code answer}, in UTF-8 bytes as
	 * Gemini counts.
	 */
	static SearchGrounding.Support support(String answer, String segment, Integer... sources) {
		int startByte = answer.substring(0, answer.indexOf(segment)).getBytes(StandardCharsets.UTF_8).length;
		return new SearchGrounding.Support(startByte, startByte + segment.getBytes(StandardCharsets.UTF_8).length,
				segment, List.of(sources));
	}

}
