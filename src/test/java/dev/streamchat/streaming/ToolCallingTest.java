package dev.streamchat.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.ToolPart.ToolStatus;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Call;
import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Ending;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.SlowTool;
import dev.streamchat.testing.StreamingTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import org.assertj.core.data.Offset;
import org.assertj.core.groups.Tuple;

/**
 * Tool calls, thinking and settings through the whole app: the real SDK against the fake,
 * the real tools, storage and broadcast. Each test asserts what the app sent back to the
 * model.
 */
class ToolCallingTest extends StreamingTestSupport {

	List<FakeGemini.RecordedRequest> requestsFor(String prompt) {
		return fake.requests().stream().filter(r -> r.lastUserText().contains(prompt)).toList();
	}

	@Test
	void aToolCallRunsAndItsResultGoesBackSoTheAnswerContinuesInTheSameBubble() {
		fake.when("what time", Reply.events(Chunk.text("Let me look. "),
				Chunk.call("current_time", Map.of("time_zone", "Asia/Tokyo"))));
		fake.when("what time", Reply.chunks("It is morning", " in Tokyo."));

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
		List<FakeGemini.RecordedRequest> sent = requestsFor("what time");
		assertThat(sent).hasSize(2);
		assertThat(sent.getFirst().toolNames()).contains("current_time", "calculate", "search_conversations",
				SlowTool.NAME);
		assertThat(sent.get(1).roles()).containsExactly("user", "model", "user");
		assertThat(sent.get(1).functionResponses()).singleElement().satisfies(response -> {
			assertThat(response.path("name").asText()).isEqualTo("current_time");
			assertThat(response.path("response").path("time_zone").asText()).isEqualTo("Asia/Tokyo");
		});
		// on screen: the card appears running where the text stopped, then done, then the
		// text goes on
		List<MessageEvent> ordered = events.stream()
			.filter(e -> e.messageId().equals(done.id())
					&& (e instanceof MessageEvent.ToolUpdate || e instanceof MessageEvent.Delta))
			.toList();
		assertThat(ordered.get(1)).isInstanceOfSatisfying(MessageEvent.ToolUpdate.class,
				u -> assertThat(u.part().status()).isEqualTo(ToolStatus.RUNNING));
		assertThat(ordered.get(2)).isInstanceOfSatisfying(MessageEvent.ToolUpdate.class,
				u -> assertThat(u.part().status()).isEqualTo(ToolStatus.DONE));
		assertThat(ordered.get(3)).isInstanceOfSatisfying(MessageEvent.Delta.class,
				d -> assertThat(d.offset()).isEqualTo("Let me look. ".length()));
	}

	@Test
	void aLaterPromptShowsTheModelTheEarlierToolCallsAndWhatTheyReturned() {
		fake.when("what time", Reply.events(Chunk.text("Let me look. "),
				Chunk.call("current_time", Map.of("time_zone", "Asia/Tokyo"))));
		fake.when("what time", Reply.chunks("It is morning in Tokyo."));
		awaitEnd(streaming.send(alice, pane.id(), "what time is it in Tokyo?").id());
		fake.when("and in", Reply.chunks("Evening in Paris."));

		awaitEnd(streaming.send(alice, pane.id(), "and in Paris?").id());

		FakeGemini.RecordedRequest later = requestsFor("and in Paris").getFirst();
		assertThat(later.roles()).containsExactly("user", "model", "user", "model", "user");
		var contents = later.body().path("contents");
		assertThat(contents.get(1).path("parts").get(0).path("text").asText()).isEqualTo("Let me look. ");
		var call = contents.get(1).path("parts").get(1).path("functionCall");
		assertThat(call.path("name").asText()).isEqualTo("current_time");
		assertThat(call.path("args").path("time_zone").asText()).isEqualTo("Asia/Tokyo");
		var response = contents.get(2).path("parts").get(0).path("functionResponse");
		assertThat(response.path("name").asText()).isEqualTo("current_time");
		assertThat(response.path("response").path("utc_offset").asText()).isEqualTo("+09:00");
		assertThat(contents.get(3).path("parts").get(0).path("text").asText()).isEqualTo("It is morning in Tokyo.");
		assertThat(later.lastUserText()).isEqualTo("and in Paris?");
	}

	@Test
	void parallelCallsRunTogetherAndAllTheirResponsesGoBackInOneTurn() {
		fake.when("two sums", Reply.events(Chunk.calls(new Call("calculate", Map.of("expression", "2^64")),
				new Call(SlowTool.NAME, Map.of("millis", 300)), new Call("calculate", Map.of("expression", "1/0")))));
		fake.when("two sums", Reply.chunks("Done."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "two sums please").id());

		assertThat(done.parts()).extracting(ToolPart::seq, ToolPart::status)
			.containsExactly(Tuple.tuple(0, ToolStatus.DONE), Tuple.tuple(1, ToolStatus.DONE),
					Tuple.tuple(2, ToolStatus.FAILED));
		assertThat(done.parts().get(0).resultJson()).contains("18446744073709551616");
		assertThat(done.parts().get(2).error()).isEqualTo("division by zero");
		var responses = requestsFor("two sums").get(1).functionResponses();
		assertThat(responses).extracting(r -> r.path("name").asText())
			.containsExactly("calculate", SlowTool.NAME, "calculate");
		// the model is told about the failure so it can recover
		assertThat(responses.get(2).path("response").path("error").asText()).isEqualTo("division by zero");
		// the fast call's result was on screen before the slow one finished
		List<ToolPart> finished = events.stream()
			.filter(e -> e instanceof MessageEvent.ToolUpdate)
			.map(e -> ((MessageEvent.ToolUpdate) e).part())
			.filter(p -> p.status().isFinal())
			.toList();
		assertThat(finished.getLast().name()).isEqualTo(SlowTool.NAME);
	}

	@Test
	void aToolThatTimesOutOrFailsIsReportedToTheModelWhichRecovers() {
		fake.when("lookup", Reply.events(Chunk.call(SlowTool.NAME, Map.of("millis", 60_000))));
		fake.when("lookup", Reply.events(Chunk.call(SlowTool.NAME, Map.of("fail", true))));
		fake.when("lookup", Reply.chunks("The lookup is unavailable right now."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "lookup widgets").id());

		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.parts()).extracting(ToolPart::error)
			.containsExactly("timed out after 1500 ms", "lookup service down");
		List<FakeGemini.RecordedRequest> sent = requestsFor("lookup");
		assertThat(sent).hasSize(3);
		assertThat(sent.get(1).functionResponses().getFirst().path("response").path("error").asText())
			.isEqualTo("timed out after 1500 ms");
		// the whole exchange is resent each round: user, call, response, call, response
		assertThat(sent.get(2).roles()).containsExactly("user", "model", "user", "model", "user");
		assertThat(done.text()).isEqualTo("The lookup is unavailable right now.");
	}

	@Test
	void theToolLoopIsCappedWithAClearMessage() {
		for (int i = 0; i < 7; i++) {
			fake.when("loop", Reply.events(Chunk.call("calculate", Map.of("expression", i + "+1"))));
		}

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "loop forever").id());

		// five rounds run; the sixth request for tools is refused and the answer ends
		assertThat(requestsFor("loop")).hasSize(6);
		assertThat(done.parts()).hasSize(6);
		assertThat(done.parts().subList(0, 5)).allMatch(p -> p.status() == ToolStatus.DONE);
		assertThat(done.parts().getLast().error()).contains("limit of 5 tool rounds");
		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.finishReason()).isEqualTo("TOOL_LIMIT");
		assertThat(done.error()).contains("after 5 rounds");
	}

	@Test
	void theSearchToolFindsTheUsersEarlierConversations() {
		Conversation earlier = paneStore.create(alice, "gemini-2.5-flash");
		messageStore.addUserMessage(earlier.owner(), earlier.id(), "Remember: my bike lock code is 4711");
		fake.when("lock code", Reply.events(Chunk.call("search_conversations", Map.of("query", "lock code"))));
		fake.when("lock code", Reply.chunks("It is 4711."));

		awaitEnd(streaming.send(alice, pane.id(), "what was my lock code?").id());

		var response = requestsFor("lock code").get(1).functionResponses().getFirst().path("response");
		assertThat(response.path("matches").get(0).path("text").asText()).contains("4711");
		assertThat(response.path("matches").get(0).path("conversation").asText()).isEqualTo(earlier.title());
		// the question itself (in this pane) is not a match
		assertThat(response.path("matches")).hasSize(1);
	}

	@Test
	void stoppingWhileAToolRunsEndsTheCardAndTheAnswerAtOnce() {
		fake.when("stop during", Reply.events(Chunk.call(SlowTool.NAME, Map.of("millis", 1200))));
		ChatMessage reply = streaming.send(alice, pane.id(), "stop during the tool");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> streaming.live(alice, reply.id()).map(l -> !l.parts().isEmpty()).orElse(false));

		streaming.stop(alice, reply.id());

		ChatMessage done = awaitEnd(reply.id());
		assertThat(done.status()).isEqualTo(MessageStatus.STOPPED);
		assertThat(done.parts().getFirst().status()).isEqualTo(ToolStatus.FAILED);
		assertThat(done.parts().getFirst().error()).contains("cancelled");
		assertThat(requestsFor("stop during")).hasSize(1);
	}

	@Test
	void thoughtsAreStreamedAndStoredApartFromTheAnswerAndNotSentBackAsText() {
		fake.when("ponder",
				Reply
					.events(Chunk.thought("**Pondering** the question. "), Chunk.thought("Got it."),
							Chunk.text("Forty-two."))
					.usage(9, 4, 120));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "ponder this").id());

		assertThat(done.text()).isEqualTo("Forty-two.");
		assertThat(done.thinking()).isEqualTo("**Pondering** the question. Got it.");
		assertThat(done.usage().thoughtTokens()).isEqualTo(120);
		assertThat(done.usage().outputTokens()).isEqualTo(4);
		assertThat(done.firstToken()).isNotNull();
		assertThat(events).filteredOn(e -> e instanceof MessageEvent.ThoughtDelta).hasSize(2);
		assertThat(fake.requests().getLast().includesThoughts()).isTrue();

		fake.when("next", Reply.chunks("ok"));
		awaitEnd(streaming.send(alice, pane.id(), "next question").id());
		assertThat(fake.requests().getLast().contents()).extracting(FakeGemini.Turn::text)
			.containsExactly("ponder this", "Forty-two.", "next question");
	}

	@Test
	void thePanesSystemInstructionAndTemperatureAreSentWithEveryPrompt() {
		paneStore.changeSettings(alice, pane.id(), "Answer in haiku.", 1.3);
		fake.when("settings", Reply.chunks("Autumn wind blowing"));

		awaitEnd(streaming.send(alice, pane.id(), "settings test").id());

		FakeGemini.RecordedRequest sent = requestsFor("settings").getFirst();
		assertThat(sent.systemInstruction()).isEqualTo("Answer in haiku.");
		assertThat(sent.temperature()).isCloseTo(1.3, Offset.offset(1e-6));
	}

	@Test
	void aNonStopFinishReasonIsKeptWithTheAnswer() {
		fake.when("cut", Reply.chunks("This answer is cut").finishReason("MAX_TOKENS"));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "cut me off").id());

		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.finishReason()).isEqualTo("MAX_TOKENS");
	}

	@Test
	void aMidStreamFailureAfterAToolCallKeepsTheCardAndTheText() {
		fake.when("fragile",
				Reply.events(Chunk.text("Checking. "), Chunk.call("calculate", Map.of("expression", "6*7"))));
		fake.when("fragile", Reply.chunks("The answer", " is").every(Duration.ofMillis(5)).then(Ending.DISCONNECT));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "fragile one").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.text()).isEqualTo("Checking. The answer is");
		assertThat(done.parts()).singleElement().satisfies(p -> assertThat(p.resultJson()).contains("\"42\""));
		assertThat(new ArrayList<>(events)).last().isInstanceOf(MessageEvent.Finished.class);
	}

}
