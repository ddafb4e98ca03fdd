package dev.streamchat.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.ToolPart.ToolStatus;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelRequest.Author;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import dev.streamchat.model.ToolSpec;
import dev.streamchat.testing.FakeChatModel.Round;
import dev.streamchat.testing.FakeModelTestSupport;
import dev.streamchat.testing.SlowTool;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static dev.streamchat.testing.FakeChatModel.events;
import static dev.streamchat.testing.FakeChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tool calls, thinking and settings in the streaming logic, against the in-memory model
 * with the real tools, storage and broadcast: what is shown and stored, and what the app
 * asks the model ({@link ModelRequest}) and sends back ({@link ToolResult}). How these
 * map onto Gemini's wire format (function calls and responses, earlier answers' calls,
 * system instruction, temperature, thoughts) is {@code GeminiChatModelTest}'s.
 */
class ToolCallingTest extends FakeModelTestSupport {

	static ToolCall call(String name, Map<String, Object> args) {
		return new ToolCall(null, name, args);
	}

	/** A round in which the model writes {@code text} and then makes {@code calls}. */
	static List<ModelChunk> textThenCalls(String text, ToolCall... calls) {
		return List.of(ModelChunk.text(text), ModelChunk.toolCalls(List.of(calls)));
	}

	/** The tool cards of {@code reply} that were shown ended, in the order they ended. */
	List<ToolPart> endedOnScreen(MessageId reply) {
		return events.stream()
			.filter(e -> e instanceof MessageEvent.ToolUpdate u && u.messageId().equals(reply)
					&& u.part().status().isFinal())
			.map(e -> ((MessageEvent.ToolUpdate) e).part())
			.toList();
	}

	@Test
	void aToolCallRunsAndItsResultGoesBackSoTheAnswerContinuesInTheSameBubble() {
		model.when("what time",
				events(textThenCalls("Let me look. ", call("current_time", Map.of("time_zone", "Asia/Tokyo")))),
				chunks("It is morning", " in Tokyo."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "what time is it in Tokyo?").id());

		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo("Let me look. It is morning in Tokyo.");
		assertThat(done.parts()).singleElement().satisfies(part -> {
			assertThat(part.name()).isEqualTo("current_time");
			assertThat(part.argsJson()).isEqualTo("{\"time_zone\":\"Asia/Tokyo\"}");
			assertThat(part.status()).isEqualTo(ToolStatus.DONE);
			assertThat(part.resultJson()).contains("\"utc_offset\":\"+09:00\"");
			assertThat(part.anchor()).isEqualTo("Let me look. ".length());
		});
		// one request, its tools declared; the round's result goes back on the same
		// stream
		assertThat(model.requests()).singleElement()
			.satisfies(request -> assertThat(request.tools()).extracting(ToolSpec::name)
				.contains("current_time", "calculate", "search_conversations", SlowTool.NAME));
		assertThat(model.toolResults()).singleElement()
			.satisfies(round -> assertThat(round).singleElement().satisfies(result -> {
				assertThat(result.call().name()).isEqualTo("current_time");
				assertThat(result.call().args()).containsEntry("time_zone", "Asia/Tokyo");
				assertThat(result.failed()).isFalse();
				assertThat(result.response()).containsEntry("time_zone", "Asia/Tokyo")
					.containsEntry("utc_offset", "+09:00");
			}));
		// on screen: the card appears running where the text stopped, then done, then the
		// text goes on
		List<MessageEvent> ordered = events.stream()
			.filter(e -> e.messageId().equals(done.id())
					&& (e instanceof MessageEvent.ToolUpdate || e instanceof MessageEvent.Delta))
			.toList();
		assertThat(ordered.get(0)).isInstanceOfSatisfying(MessageEvent.Delta.class,
				d -> assertThat(d.text()).isEqualTo("Let me look. "));
		assertThat(ordered.get(1)).isInstanceOfSatisfying(MessageEvent.ToolUpdate.class,
				u -> assertThat(u.part().status()).isEqualTo(ToolStatus.RUNNING));
		assertThat(ordered.get(2)).isInstanceOfSatisfying(MessageEvent.ToolUpdate.class,
				u -> assertThat(u.part().status()).isEqualTo(ToolStatus.DONE));
		assertThat(ordered.get(3)).isInstanceOfSatisfying(MessageEvent.Delta.class,
				d -> assertThat(d.offset()).isEqualTo("Let me look. ".length()));
	}

	@Test
	void aLaterPromptShowsTheModelTheEarlierToolCallsAndWhatTheyReturned() {
		model.when("what time",
				events(textThenCalls("Let me look. ", call("current_time", Map.of("time_zone", "Asia/Tokyo")))),
				chunks("It is morning in Tokyo."));
		awaitEnd(streaming.send(alice, pane.id(), "what time is it in Tokyo?").id());
		model.when("and in", chunks("Evening in Paris."));

		awaitEnd(streaming.send(alice, pane.id(), "and in Paris?").id());

		ModelRequest later = model.requests().getLast();
		assertThat(later.lastUserText()).isEqualTo("and in Paris?");
		assertThat(later.history()).extracting(ModelRequest.Turn::author, ModelRequest.Turn::text)
			.containsExactly(tuple(Author.USER, "what time is it in Tokyo?"),
					tuple(Author.MODEL, "Let me look. It is morning in Tokyo."), tuple(Author.USER, "and in Paris?"));
		// the earlier answer carries its call where it was made, with what it returned
		assertThat(later.history().get(1).toolUses()).singleElement().satisfies(use -> {
			assertThat(use.anchor()).isEqualTo("Let me look. ".length());
			assertThat(use.name()).isEqualTo("current_time");
			assertThat(use.args()).containsEntry("time_zone", "Asia/Tokyo");
			assertThat(use.response()).containsEntry("utc_offset", "+09:00");
		});
		assertThat(later.history().get(0).toolUses()).isEmpty();
	}

	@Test
	void parallelCallsRunTogetherAndAllTheirResponsesGoBackInOneTurn() {
		SlowTool.Gate slow = SlowTool.newGate();
		model.when("two sums",
				events(List.of(ModelChunk.toolCalls(List.of(call("calculate", Map.of("expression", "2^64")),
						call(SlowTool.NAME, Map.of("gate", slow.key())),
						call("calculate", Map.of("expression", "1/0")))))),
				chunks("Done."));
		MessageId reply;
		try {
			reply = streaming.send(alice, pane.id(), "two sums please").id();

			// both fast calls end on screen while the slow one still runs, and nothing
			// goes back to the model before the whole round has ended
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> endedOnScreen(reply).size() >= 2);
			assertThat(endedOnScreen(reply)).extracting(ToolPart::seq).containsExactlyInAnyOrder(0, 2);
			assertThat(model.toolResults()).isEmpty();
		}
		finally {
			slow.open();
		}

		ChatMessage done = awaitEnd(reply);

		// one turn with every response, in the order of the calls; the model is told
		// about the failure so it can recover
		assertThat(model.toolResults()).singleElement().satisfies(round -> {
			assertThat(round).extracting(r -> r.call().name()).containsExactly("calculate", SlowTool.NAME, "calculate");
			assertThat(round.get(0).response().toString()).contains("18446744073709551616");
			assertThat(round.get(1).failed()).isFalse();
			assertThat(round.get(2).response()).isEqualTo(Map.of("error", "division by zero"));
		});
		assertThat(done.text()).isEqualTo("Done.");
		assertThat(done.parts()).extracting(ToolPart::seq, ToolPart::status)
			.containsExactly(tuple(0, ToolStatus.DONE), tuple(1, ToolStatus.DONE), tuple(2, ToolStatus.FAILED));
		assertThat(done.parts().get(0).resultJson()).contains("18446744073709551616");
		assertThat(done.parts().get(2).error()).isEqualTo("division by zero");
		assertThat(endedOnScreen(reply).getLast().name()).isEqualTo(SlowTool.NAME);
	}

	@Test
	void aToolThatTimesOutOrFailsIsReportedToTheModelWhichRecovers() {
		model.when("lookup", toolCall(SlowTool.NAME, Map.of("millis", 60_000)),
				toolCall(SlowTool.NAME, Map.of("fail", true)), chunks("The lookup is unavailable right now."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "lookup widgets").id());

		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo("The lookup is unavailable right now.");
		assertThat(done.parts()).extracting(ToolPart::error)
			.containsExactly("timed out after 1500 ms", "lookup service down");
		assertThat(model.toolResults()).extracting(round -> round.getFirst().response())
			.containsExactly(Map.of("error", "timed out after 1500 ms"), Map.of("error", "lookup service down"));
		assertThat(model.requests()).as("one answer, not retried").hasSize(1);
	}

	@Test
	void theToolLoopIsCappedWithAClearMessage() {
		List<Round> rounds = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			rounds.add(toolCall("calculate", Map.of("expression", i + "+1")));
		}
		model.when("loop", rounds.toArray(Round[]::new));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "loop forever").id());

		// five rounds run and go back to the model; the sixth round's call is refused,
		// not sent back, and the answer ends
		assertThat(model.toolResults()).hasSize(5)
			.allSatisfy(round -> assertThat(round).singleElement().satisfies(r -> assertThat(r.failed()).isFalse()));
		assertThat(done.parts()).hasSize(6);
		assertThat(done.parts().subList(0, 5)).allMatch(p -> p.status() == ToolStatus.DONE);
		assertThat(done.parts().getLast().status()).isEqualTo(ToolStatus.FAILED);
		assertThat(done.parts().getLast().error()).contains("limit of 5 tool rounds");
		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.finishReason()).isEqualTo("TOOL_LIMIT");
		assertThat(done.error()).contains("after 5 rounds");
		assertThat(model.requests()).hasSize(1);
	}

	@Test
	void theSearchToolFindsTheUsersEarlierConversations() {
		Conversation earlier = paneStore.create(alice, "gemini-2.5-flash");
		messageStore.addUserMessage(earlier.owner(), earlier.id(), "Remember: my bike lock code is 4711");
		model.when("lock code", toolCall("search_conversations", Map.of("query", "lock code")), chunks("It is 4711."));

		awaitEnd(streaming.send(alice, pane.id(), "what was my lock code?").id());

		assertThat(model.toolResults()).singleElement()
			.satisfies(round -> assertThat(round).singleElement().satisfies(result -> {
				// the question itself (in this pane) is not a match
				assertThat(result.response().get("matches")).asInstanceOf(InstanceOfAssertFactories.list(Map.class))
					.singleElement()
					.satisfies(match -> {
						assertThat(match.get("text")).asString().contains("4711");
						assertThat(match.get("conversation")).isEqualTo(earlier.title());
					});
			}));
	}

	@Test
	void stoppingWhileAToolRunsEndsTheCardAndTheAnswerAtOnce() {
		// the tool runs until the test opens its gate: stop has to end it, not its
		// timeout
		SlowTool.Gate gate = SlowTool.newGate();
		try {
			model.when("stop during", toolCall(SlowTool.NAME, Map.of("gate", gate.key())), chunks("never asked"));
			ChatMessage reply = streaming.send(alice, pane.id(), "stop during the tool");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> streaming.live(alice, reply.id()).map(l -> !l.parts().isEmpty()).orElse(false));

			streaming.stop(alice, reply.id());

			ChatMessage done = awaitEnd(reply.id());
			assertThat(done.status()).isEqualTo(MessageStatus.STOPPED);
			assertThat(done.parts()).singleElement().satisfies(part -> {
				assertThat(part.status()).isEqualTo(ToolStatus.FAILED);
				assertThat(part.error()).contains("cancelled");
			});
			assertThat(done.text()).isEmpty();
			// nothing went back to the model, and its stream was let go
			assertThat(model.toolResults()).isEmpty();
			assertThat(model.cancellations()).isEqualTo(1);
		}
		finally {
			gate.open();
		}
	}

	@Test
	void thoughtsAreStreamedAndStoredApartFromTheAnswerAndNotSentBackAsText() {
		model.when("ponder", events(List.of(ModelChunk.thought("**Pondering** the question. "),
				ModelChunk.thought("Got it."), ModelChunk.text("Forty-two.")))
			.usage(9, 4, 120));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "ponder this").id());

		assertThat(done.text()).isEqualTo("Forty-two.");
		assertThat(done.thinking()).isEqualTo("**Pondering** the question. Got it.");
		assertThat(done.usage().thoughtTokens()).isEqualTo(120);
		assertThat(done.usage().outputTokens()).isEqualTo(4);
		assertThat(done.firstToken()).isNotNull();
		assertThat(events).filteredOn(e -> e instanceof MessageEvent.ThoughtDelta)
			.extracting(e -> ((MessageEvent.ThoughtDelta) e).text())
			.containsExactly("**Pondering** the question. ", "Got it.");
		assertThat(shownText()).isEqualTo("Forty-two.");

		model.when("next", chunks("ok"));
		awaitEnd(streaming.send(alice, pane.id(), "next question").id());
		assertThat(model.requests().getLast().history()).extracting(ModelRequest.Turn::text)
			.containsExactly("ponder this", "Forty-two.", "next question");
	}

	@Test
	void thePanesSystemInstructionAndTemperatureAreSentWithEveryPrompt() {
		paneStore.changeSettings(alice, pane.id(), "Answer in haiku.", 1.3);
		model.when("settings", chunks("Autumn wind blowing"));
		model.when("again", chunks("Leaves fall"));

		awaitEnd(streaming.send(alice, pane.id(), "settings test").id());
		awaitEnd(streaming.send(alice, pane.id(), "again please").id());

		assertThat(model.requests()).hasSize(2).allSatisfy(sent -> {
			assertThat(sent.systemInstruction()).isEqualTo("Answer in haiku.");
			assertThat(sent.temperature()).isCloseTo(1.3, Offset.offset(1e-6));
		});
	}

	@Test
	void aNonStopFinishReasonIsKeptWithTheAnswer() {
		model.when("cut", events(List.of(ModelChunk.text("This answer is cut"),
				new ModelChunk("", "MAX_TOKENS", new ModelChunk.TokenCounts(3, 4, 0)))));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "cut me off").id());

		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo("This answer is cut");
		assertThat(done.finishReason()).isEqualTo("MAX_TOKENS");
	}

	@Test
	void aMidStreamFailureAfterAToolCallKeepsTheCardAndTheText() {
		model.when("fragile", events(textThenCalls("Checking. ", call("calculate", Map.of("expression", "6*7")))),
				events(List.of(ModelChunk.text("The answer"), ModelChunk.text(" is")))
					.failing(new ModelException(ModelException.Kind.BROKEN_STREAM, "The answer broke off.")));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "fragile one").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.text()).isEqualTo("Checking. The answer is");
		assertThat(done.error()).contains("broke off");
		assertThat(done.parts()).singleElement().satisfies(p -> {
			assertThat(p.status()).isEqualTo(ToolStatus.DONE);
			assertThat(p.resultJson()).contains("\"42\"");
		});
		assertThat(model.requests()).as("not retried after text").hasSize(1);
		assertThat(new ArrayList<>(events)).last().isInstanceOf(MessageEvent.Finished.class);
	}

}
