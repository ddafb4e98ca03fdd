package dev.streamchat.model.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelProperties;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelRequest.Author;
import dev.streamchat.model.ModelRequest.Turn;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.SearchGrounding;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import dev.streamchat.model.ToolSpec;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Ending;
import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Gemini adapter through the real google-genai SDK against the wire-faithful fake.
 */
class GeminiChatModelTest {

	static FakeGemini fake;

	@BeforeAll
	static void startFake() {
		fake = FakeGemini.start();
	}

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	@BeforeEach
	void reset() {
		fake.reset();
	}

	static GeminiChatModel model(String apiVersion, Duration idleTimeout, String baseUrl) {
		return new GeminiChatModel(new ModelProperties("secret-key", baseUrl, apiVersion, List.of("gemini-2.5-flash"),
				"gemini-2.5-flash", Duration.ofSeconds(2), idleTimeout, true,
				new ModelProperties.Demo(Duration.ZERO, Duration.ZERO)), JsonMapper.builder().build());
	}

	static GeminiChatModel model() {
		return model("v1beta", Duration.ofSeconds(10), fake.baseUrl());
	}

	static ModelRequest request(String prompt) {
		return new ModelRequest("gemini-2.5-flash", List.of(new Turn(Author.USER, "Hi"),
				new Turn(Author.MODEL, "Hello! How can I help?"), new Turn(Author.USER, prompt)));
	}

	static List<ModelChunk> readAll(ModelStream stream) {
		List<ModelChunk> chunks = new ArrayList<>();
		ModelChunk chunk;
		while ((chunk = stream.next()) != null) {
			chunks.add(chunk);
		}
		return chunks;
	}

	@Test
	void streamsEveryChunkInOrderAndSendsTheWholeHistory() {
		fake.enqueue(Reply.chunks("Stream", "ing ", "wörks 🚀", "."));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("Does it stream?"))) {
			List<ModelChunk> chunks = readAll(stream);

			assertThat(chunks).extracting(ModelChunk::text).containsExactly("Stream", "ing ", "wörks 🚀", ".");
			assertThat(chunks.getLast().finishReason()).isEqualTo("STOP");
			assertThat(requireNonNull(chunks.getLast().usage()).input()).isEqualTo(7);
		}
		FakeGemini.RecordedRequest received = fake.requests().getFirst();
		assertThat(received.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
		assertThat(received.model()).isEqualTo("gemini-2.5-flash");
		assertThat(received.header("x-goog-api-key")).isEqualTo("secret-key");
		assertThat(received.contents()).containsExactly(new FakeGemini.Turn("user", "Hi"),
				new FakeGemini.Turn("model", "Hello! How can I help?"), new FakeGemini.Turn("user", "Does it stream?"));
	}

	@Test
	void usesTheV1PathWhenConfigured() {
		try (GeminiChatModel model = model("v1", Duration.ofSeconds(10), fake.baseUrl());
				ModelStream stream = model.stream(request("v1?"))) {
			assertThat(readAll(stream)).isNotEmpty();
		}
		assertThat(fake.requests().getFirst().path()).isEqualTo("/v1/models/gemini-2.5-flash:streamGenerateContent");
	}

	@Test
	void aRejectedKeyFailsAtOnceWithPlainWordsAndNoRetry() {
		fake.enqueue(Reply.httpError(401, "UNAUTHENTICATED", "API key not valid. Please pass a valid API key."));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThatThrownBy(stream::next).isInstanceOfSatisfying(ModelException.class, e -> {
				assertThat(e.kind()).isEqualTo(ModelException.Kind.AUTH);
				assertThat(e.getMessage()).startsWith("The API key was rejected");
			});
		}
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void anOverloadedServerIsReportedAsTransientWithExactlyOneRequest() {
		fake.enqueue(Reply.httpError(503, "UNAVAILABLE", "The model is overloaded."));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThatThrownBy(stream::next).isInstanceOfSatisfying(ModelException.class, e -> {
				assertThat(e.kind()).isEqualTo(ModelException.Kind.SERVER);
				assertThat(e.kind().isTransient()).isTrue();
				assertThat(e.httpStatus()).isEqualTo(503);
			});
		}
		// the SDK's own retry interceptor is switched off: retrying is the app's visible
		// decision
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void aRateLimitCarriesTheServersRetryDelayAndIsWorthRetrying() {
		fake.enqueue(Reply.rateLimited("1.5s", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThatThrownBy(stream::next).isInstanceOfSatisfying(ModelException.class, e -> {
				assertThat(e.kind()).isEqualTo(ModelException.Kind.RATE_LIMITED);
				assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
				assertThat(e.worthRetrying()).isTrue();
			});
		}
	}

	@Test
	void aSpentDailyQuotaIsReportedInPlainWordsAndNotWorthRetrying() {
		fake.enqueue(Reply.rateLimited("20s", "GenerateRequestsPerDayPerProjectPerModel-FreeTier"));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThatThrownBy(stream::next).isInstanceOfSatisfying(ModelException.class, e -> {
				assertThat(e.dailyQuotaExhausted()).isTrue();
				assertThat(e.worthRetrying()).isFalse();
				assertThat(e.getMessage()).startsWith("The daily quota of this API key is used up");
			});
		}
	}

	@Test
	void aRetryAfterHeaderIsReadIntoTheFailure() {
		fake.enqueue(Reply.httpError(503, "UNAVAILABLE", "overloaded").header("Retry-After", "30"));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThatThrownBy(stream::next).isInstanceOfSatisfying(ModelException.class,
					e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)));
		}
	}

	@Test
	void aConnectionDroppedMidStreamFailsAfterThePartialText() {
		fake.enqueue(Reply.chunks("partial ", "answer").then(Ending.DISCONNECT));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThat(requireNonNull(stream.next()).text()).isEqualTo("partial ");
			assertThat(requireNonNull(stream.next()).text()).isEqualTo("answer");
			assertThatThrownBy(stream::next).isInstanceOfSatisfying(ModelException.class,
					e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.BROKEN_STREAM));
		}
	}

	@Test
	void aMalformedChunkFailsTheStream() {
		fake.enqueue(Reply.chunks("ok so far").then(Ending.MALFORMED));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThat(requireNonNull(stream.next()).text()).isEqualTo("ok so far");
			assertThatThrownBy(stream::next).isInstanceOf(ModelException.class);
		}
	}

	@Test
	void anErrorEventMidStreamIsReported() {
		fake.enqueue(Reply.chunks("before the error").then(Ending.ERROR_EVENT));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThat(requireNonNull(stream.next()).text()).isEqualTo("before the error");
			assertThatThrownBy(stream::next).isInstanceOfSatisfying(ModelException.class,
					e -> assertThat(e.httpStatus()).isEqualTo(503));
		}
	}

	@Test
	void aSafetyStopIsReportedAsBlocked() {
		fake.enqueue(Reply.chunks("I can't").finishReason("SAFETY"));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThatThrownBy(() -> readAll(stream)).isInstanceOfSatisfying(ModelException.class,
					e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.BLOCKED));
		}
	}

	@Test
	void aSilentStreamIsEndedAsStalledAfterTheIdleTimeout() {
		fake.enqueue(Reply.chunks("and then").then(Ending.SILENCE));
		try (GeminiChatModel model = model("v1beta", Duration.ofMillis(400), fake.baseUrl());
				ModelStream stream = model.stream(request("hi"))) {
			assertThat(requireNonNull(stream.next()).text()).isEqualTo("and then");
			assertThatThrownBy(stream::next).isInstanceOfSatisfying(ModelException.class,
					e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.STALLED));
		}
	}

	@Test
	void cancellingFromAnotherThreadReleasesASilentStreamAtOnce() {
		fake.enqueue(Reply.chunks("thinking…").then(Ending.SILENCE));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("hi"))) {
			assertThat(requireNonNull(stream.next()).text()).isEqualTo("thinking…");
			CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
				try {
					stream.next();
					return null;
				}
				catch (RuntimeException e) {
					return e;
				}
			});

			Instant cancelledAt = Instant.now();
			stream.cancel();

			Throwable failure = reader.join();
			assertThat(failure).isInstanceOfSatisfying(ModelException.class,
					e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.CANCELLED));
			await().atMost(Duration.ofSeconds(1)).until(() -> !fake.clientCloses().isEmpty());
			assertThat(Duration.between(cancelledAt, fake.clientCloses().getFirst())).isLessThan(Duration.ofSeconds(1));
		}
	}

	@Test
	void anUnreachableServiceIsReportedAsSuch() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		try (GeminiChatModel model = model("v1beta", Duration.ofSeconds(5), "http://127.0.0.1:" + closedPort);
				ModelStream stream = model.stream(request("hi"))) {
			assertThatThrownBy(stream::next).isInstanceOfSatisfying(ModelException.class,
					e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.UNREACHABLE));
		}
	}

	static final ToolSpec CLOCK = new ToolSpec("current_time", "The time.",
			Map.of("type", "object", "properties", Map.of("time_zone", Map.of("type", "string"))));

	@Test
	void thoughtSummariesComeApartFromTheAnswerAndAreCountedSeparately() {
		fake.enqueue(
				Reply.events(Chunk.thought("**Weighing** options. "), Chunk.thought("Done."), Chunk.text("The answer."))
					.usage(11, 3, 42));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("think"))) {
			List<ModelChunk> chunks = readAll(stream);

			assertThat(chunks).extracting(ModelChunk::thought).containsExactly("**Weighing** options. ", "Done.", "");
			assertThat(chunks).extracting(ModelChunk::text).containsExactly("", "", "The answer.");
			assertThat(chunks.getLast().usage()).isEqualTo(new ModelChunk.TokenCounts(11, 3, 42));
		}
		assertThat(fake.requests().getFirst().includesThoughts()).isTrue();
	}

	@Test
	void systemInstructionTemperatureAndToolDeclarationsAreSent() {
		fake.enqueue(Reply.chunks("ok"));
		ModelRequest request = new ModelRequest("gemini-2.5-flash", List.of(new Turn(Author.USER, "hi")),
				"Answer like a pirate.", 0.25, List.of(CLOCK));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request)) {
			readAll(stream);
		}
		FakeGemini.RecordedRequest sent = fake.requests().getFirst();
		assertThat(sent.systemInstruction()).isEqualTo("Answer like a pirate.");
		assertThat(sent.temperature()).isEqualTo(0.25);
		assertThat(sent.toolNames()).containsExactly("current_time");
		assertThat(sent.body()
			.path("tools")
			.get(0)
			.path("functionDeclarations")
			.get(0)
			.path("parametersJsonSchema")
			.path("properties")
			.has("time_zone")).isTrue();
		// the system instruction is not a turn of the conversation
		assertThat(sent.contents()).containsExactly(new FakeGemini.Turn("user", "hi"));
	}

	@Test
	void parallelFunctionCallsAreReadAndTheirResponsesGoBackInTheSameConversation() {
		fake.enqueue(Reply.events(Chunk.text("Let me check. "),
				Chunk.calls(new FakeGemini.Call("current_time", Map.of("time_zone", "Asia/Tokyo")),
						new FakeGemini.Call("current_time", Map.of("time_zone", "Europe/Paris")))));
		fake.enqueue(Reply.chunks("Tokyo is ahead", " of Paris."));
		ModelRequest request = new ModelRequest("gemini-2.5-flash", List.of(new Turn(Author.USER, "times?")), null,
				null, List.of(CLOCK));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request)) {
			List<ModelChunk> first = readAll(stream);
			List<ToolCall> calls = first.stream().flatMap(c -> c.toolCalls().stream()).toList();
			assertThat(calls).extracting(ToolCall::name).containsExactly("current_time", "current_time");
			assertThat(calls).extracting(c -> c.args().get("time_zone")).containsExactly("Asia/Tokyo", "Europe/Paris");

			stream.continueWith(List.of(ToolResult.ok(calls.get(0), Map.of("date_time", "2026-01-01 09:00:00")),
					ToolResult.failed(calls.get(1), "timed out after 10 s")));
			List<ModelChunk> second = readAll(stream);

			assertThat(second).extracting(ModelChunk::text).contains("Tokyo is ahead", " of Paris.");
		}
		assertThat(fake.requests()).hasSize(2);
		FakeGemini.RecordedRequest followUp = fake.requests().get(1);
		assertThat(followUp.roles()).containsExactly("user", "model", "user");
		// the model's own turn goes back as it came: its text, both calls, their thought
		// signatures
		var modelTurn = followUp.body().path("contents").get(1).path("parts");
		assertThat(modelTurn.get(0).path("text").asText()).isEqualTo("Let me check. ");
		assertThat(modelTurn.get(1).path("functionCall").path("name").asText()).isEqualTo("current_time");
		assertThat(modelTurn.get(1).path("thoughtSignature").asText()).isEqualTo("c2lnbmF0dXJlLW9mLQ==");
		assertThat(modelTurn.get(2).path("functionCall").path("args").path("time_zone").asText())
			.isEqualTo("Europe/Paris");
		assertThat(followUp.functionResponses()).hasSize(2);
		assertThat(followUp.functionResponses().get(0).path("name").asText()).isEqualTo("current_time");
		assertThat(followUp.functionResponses().get(0).path("response").path("date_time").asText())
			.isEqualTo("2026-01-01 09:00:00");
		assertThat(followUp.functionResponses().get(1).path("response").path("error").asText())
			.isEqualTo("timed out after 10 s");
	}

	@Test
	void everyRoundResendsTheWholeExchangeWithTheLatestResponsesLast() {
		fake.enqueue(Reply.events(Chunk.call("current_time", Map.of("time_zone", "Asia/Tokyo"))));
		fake.enqueue(Reply.events(Chunk.text("And Paris: "),
				Chunk.call("current_time", Map.of("time_zone", "Europe/Paris"))));
		fake.enqueue(Reply.chunks("Both known."));
		ModelRequest request = new ModelRequest("gemini-2.5-flash", List.of(new Turn(Author.USER, "times?")), null,
				null, List.of(CLOCK));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request)) {
			ToolCall tokyo = readAll(stream).stream().flatMap(c -> c.toolCalls().stream()).findFirst().orElseThrow();
			stream.continueWith(List.of(ToolResult.ok(tokyo, Map.of("utc_offset", "+09:00"))));
			ToolCall paris = readAll(stream).stream().flatMap(c -> c.toolCalls().stream()).findFirst().orElseThrow();
			stream.continueWith(List.of(ToolResult.failed(paris, "timed out after 1500 ms")));

			assertThat(readAll(stream)).extracting(ModelChunk::text).contains("Both known.");
		}
		assertThat(fake.requests()).hasSize(3);
		// the third request: the prompt, the first call and its response, the second
		// round's text and call, and its response last
		FakeGemini.RecordedRequest third = fake.requests().get(2);
		assertThat(third.roles()).containsExactly("user", "model", "user", "model", "user");
		var contents = third.body().path("contents");
		assertThat(contents.get(1).path("parts").get(0).path("functionCall").path("args").path("time_zone").asText())
			.isEqualTo("Asia/Tokyo");
		assertThat(contents.get(2)
			.path("parts")
			.get(0)
			.path("functionResponse")
			.path("response")
			.path("utc_offset")
			.asText()).isEqualTo("+09:00");
		assertThat(contents.get(3).path("parts").get(0).path("text").asText()).isEqualTo("And Paris: ");
		assertThat(contents.get(3).path("parts").get(1).path("functionCall").path("args").path("time_zone").asText())
			.isEqualTo("Europe/Paris");
		assertThat(third.functionResponses()).singleElement()
			.satisfies(response -> assertThat(response.path("response").path("error").asText())
				.isEqualTo("timed out after 1500 ms"));
	}

	@Test
	void anEarlierAnswersToolCallsAreReplayedAsTheyHappened() {
		fake.enqueue(Reply.chunks("ok"));
		String answer = "Let me look. Tokyo is ahead. Both checked.";
		int firstRound = "Let me look. ".length();
		int secondRound = "Let me look. Tokyo is ahead. ".length();
		List<ModelRequest.ToolUse> uses = List.of(
				new ModelRequest.ToolUse(firstRound, "current_time", Map.of("time_zone", "Asia/Tokyo"),
						Map.of("utc_offset", "+09:00")),
				new ModelRequest.ToolUse(firstRound, "current_time", Map.of("time_zone", "Europe/Paris"),
						Map.of("error", "timed out after 10 s")),
				new ModelRequest.ToolUse(secondRound, "calculate", Map.of("expression", "9-1"), Map.of("result", "8")));
		ModelRequest request = new ModelRequest("gemini-2.5-flash", List.of(new Turn(Author.USER, "Times?"),
				new Turn(Author.MODEL, answer, uses), new Turn(Author.USER, "And now?")), null, null, List.of(CLOCK));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request)) {
			readAll(stream);
		}
		FakeGemini.RecordedRequest sent = fake.requests().getFirst();
		// the answer's text up to each round, the round's calls, a user turn with their
		// responses, and the text after the last round
		assertThat(sent.roles()).containsExactly("user", "model", "user", "model", "user", "model", "user");
		var contents = sent.body().path("contents");
		var firstCalls = contents.get(1).path("parts");
		assertThat(firstCalls.size()).isEqualTo(3);
		assertThat(firstCalls.get(0).path("text").asText()).isEqualTo("Let me look. ");
		assertThat(firstCalls.get(1).path("functionCall").path("name").asText()).isEqualTo("current_time");
		assertThat(firstCalls.get(1).path("functionCall").path("args").path("time_zone").asText())
			.isEqualTo("Asia/Tokyo");
		assertThat(firstCalls.get(2).path("functionCall").path("args").path("time_zone").asText())
			.isEqualTo("Europe/Paris");
		var firstResponses = contents.get(2).path("parts");
		assertThat(firstResponses.size()).isEqualTo(2);
		assertThat(firstResponses.get(0).path("functionResponse").path("name").asText()).isEqualTo("current_time");
		assertThat(firstResponses.get(0).path("functionResponse").path("response").path("utc_offset").asText())
			.isEqualTo("+09:00");
		assertThat(firstResponses.get(1).path("functionResponse").path("response").path("error").asText())
			.isEqualTo("timed out after 10 s");
		var secondCalls = contents.get(3).path("parts");
		assertThat(secondCalls.get(0).path("text").asText()).isEqualTo("Tokyo is ahead. ");
		assertThat(secondCalls.get(1).path("functionCall").path("name").asText()).isEqualTo("calculate");
		assertThat(
				contents.get(4).path("parts").get(0).path("functionResponse").path("response").path("result").asText())
			.isEqualTo("8");
		assertThat(sent.contents().subList(5, 7)).containsExactly(new FakeGemini.Turn("model", "Both checked."),
				new FakeGemini.Turn("user", "And now?"));
	}

	@Test
	void aNonStopFinishReasonIsReported() {
		fake.enqueue(Reply.chunks("cut o").finishReason("MAX_TOKENS"));
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request("long"))) {
			assertThat(readAll(stream).getLast().finishReason()).isEqualTo("MAX_TOKENS");
		}
	}

	// ---- web search (issue 13)

	static final String GROUNDED = "Die Zugspitze ist 2962 m hoch. Sie liegt in Bayern.";

	@Test
	void groundingMetadataFromTheStreamComesWithTheChunkItArrivedOn() {
		String metadata = FakeGemini.groundingMetadata(GROUNDED,
				List.of(new FakeGemini.WebSource("Zugspitze – Wikipedia", "https://de.wikipedia.org/wiki/Zugspitze",
						"wikipedia.org"), new FakeGemini.WebSource("bayern.de", "https://www.bayern.de/", null)),
				Map.of("Sie liegt in Bayern.", List.of(0, 1)), List.of("Zugspitze Höhe"),
				"<div class=\"container\"><a class=\"chip\" href=\"https://www.google.com/search?q=Zugspitze\">Zugspitze Höhe</a></div>");
		fake.enqueue(Reply.events(Chunk.text("Die Zugspitze ist 2962 m hoch. "),
				Chunk.text("Sie liegt in Bayern.").withGrounding(metadata)));
		ModelRequest request = new ModelRequest("gemini-2.5-flash", List.of(new Turn(Author.USER, "Wie hoch?")), null,
				null, List.of(), true);
		try (GeminiChatModel model = model(); ModelStream stream = model.stream(request)) {
			List<ModelChunk> chunks = readAll(stream);

			assertThat(chunks.getFirst().grounding()).isNull();
			SearchGrounding grounding = Objects.requireNonNull(chunks.getLast().grounding());
			assertThat(grounding.sources()).extracting(SearchGrounding.Source::uri)
				.containsExactly("https://de.wikipedia.org/wiki/Zugspitze", "https://www.bayern.de/");
			assertThat(grounding.sources().getFirst().domain()).isEqualTo("wikipedia.org");
			assertThat(grounding.supports()).singleElement().satisfies(support -> {
				assertThat(support.text()).isEqualTo("Sie liegt in Bayern.");
				// bytes, not characters: nothing before the segment is outside ASCII
				// here, so they agree
				assertThat(support.startByte()).isEqualTo(GROUNDED.indexOf("Sie"));
				assertThat(support.sourceIndices()).containsExactly(0, 1);
			});
			assertThat(grounding.queries()).containsExactly("Zugspitze Höhe");
			assertThat(grounding.searchEntryPoint()).contains("class=\"chip\"");
		}
		FakeGemini.RecordedRequest sent = fake.requests().getFirst();
		assertThat(sent.builtInTools()).containsExactly("googleSearch");
	}

	@Test
	void aPromptWithALinkAlsoAsksForUrlContextAndSearchOffAsksForNeither() {
		fake.enqueue(Reply.chunks("ok")).enqueue(Reply.chunks("ok"));
		try (GeminiChatModel model = model()) {
			try (ModelStream stream = model.stream(new ModelRequest("gemini-2.5-flash",
					List.of(new Turn(Author.USER, "Summarise https://example.org/post please")), null, null, List.of(),
					true))) {
				readAll(stream);
			}
			try (ModelStream stream = model.stream(new ModelRequest("gemini-2.5-flash",
					List.of(new Turn(Author.USER, "Summarise https://example.org/post please")), null, null, List.of(),
					false))) {
				readAll(stream);
			}
		}
		assertThat(fake.requests().get(0).builtInTools()).containsExactly("googleSearch", "urlContext");
		assertThat(fake.requests().get(1).builtInTools()).isEmpty();
	}

	@Test
	void aModelThatRefusesSearchWithFunctionCallingAnswersWithSearchOnlyAndSaysSo() {
		fake.refuseSearchWithFunctions(true);
		fake.enqueue(Reply.chunks("Searched.")).enqueue(Reply.chunks("Searched again."));
		ModelRequest request = new ModelRequest("gemini-2.5-flash", List.of(new Turn(Author.USER, "news?")), null, null,
				List.of(CLOCK), true);
		try (GeminiChatModel model = model()) {
			try (ModelStream stream = model.stream(request)) {
				List<ModelChunk> chunks = readAll(stream);

				assertThat(Objects.requireNonNull(chunks.getFirst().grounding()).notice())
					.contains("cannot search the web and use the app's tools");
				assertThat(chunks).extracting(ModelChunk::text).contains("Searched.");
			}
			assertThat(fake.requests()).hasSize(2);
			assertThat(fake.requests().get(1).toolNames()).isEmpty();
			assertThat(fake.requests().get(1).builtInTools()).containsExactly("googleSearch");

			// remembered: the next request goes without the functions at once, and says
			// so again
			try (ModelStream stream = model.stream(request)) {
				assertThat(Objects.requireNonNull(readAll(stream).getFirst().grounding()).notice()).isNotBlank();
			}
			assertThat(fake.requests()).hasSize(3);
			assertThat(fake.requests().get(2).toolNames()).isEmpty();
		}
	}

}
