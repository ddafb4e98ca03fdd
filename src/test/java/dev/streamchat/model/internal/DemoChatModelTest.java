package dev.streamchat.model.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelProperties;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelRequest.Author;
import dev.streamchat.model.ModelRequest.Turn;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.SearchGrounding;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import dev.streamchat.model.ToolSpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline demo shows the features a user without a key would otherwise never see. */
class DemoChatModelTest {

	final DemoChatModel demo = new DemoChatModel(new ModelProperties.Demo(Duration.ZERO, Duration.ZERO));

	final List<ToolSpec> tools = List.of(new ToolSpec("current_time", "The time.", Map.of()));

	static List<ModelChunk> round(ModelStream stream) {
		List<ModelChunk> chunks = new ArrayList<>();
		for (ModelChunk c; (c = stream.next()) != null;) {
			chunks.add(c);
		}
		return chunks;
	}

	@Test
	void askedForTheTimeItThinksCallsTheClockAndAnswersWithTheResult() {
		ModelRequest request = new ModelRequest(DemoChatModel.MODEL,
				List.of(new Turn(Author.USER, "What time is it in Tokyo?")), null, null, tools);
		try (ModelStream stream = demo.stream(request)) {
			List<ModelChunk> first = round(stream);
			assertThat(first).anyMatch(c -> !c.thought().isEmpty());
			List<ToolCall> calls = first.stream().flatMap(c -> c.toolCalls().stream()).toList();
			assertThat(calls).singleElement().satisfies(call -> {
				assertThat(call.name()).isEqualTo("current_time");
				assertThat(call.args()).containsEntry("time_zone", "Asia/Tokyo");
			});

			stream.continueWith(List.of(ToolResult.ok(calls.getFirst(),
					Map.of("date_time", "2026-11-26 13:00:00", "day_of_week", "Thursday", "time_zone", "Asia/Tokyo"))));
			String answer = String.join("", round(stream).stream().map(ModelChunk::text).toList());

			assertThat(answer).contains("2026-11-26 13:00:00").contains("Asia/Tokyo");
		}
	}

	@Test
	void otherQuestionsGetACannedAnswerWithoutTools() {
		ModelRequest request = new ModelRequest(DemoChatModel.MODEL,
				List.of(new Turn(Author.USER, "Show me some code")), null, null, tools);
		try (ModelStream stream = demo.stream(request)) {
			List<ModelChunk> chunks = round(stream);
			assertThat(chunks).allMatch(c -> c.toolCalls().isEmpty());
			assertThat(String.join("", chunks.stream().map(ModelChunk::text).toList())).contains("```java");
			assertThat(chunks.getLast().finishReason()).isEqualTo("STOP");
		}
	}

	@Test
	void askedForMathItAnswersWithFormulasATableAndADiagram() {
		ModelRequest request = new ModelRequest(DemoChatModel.MODEL,
				List.of(new Turn(Author.USER, "Show me some math and a diagram")), null, null, tools);
		try (ModelStream stream = demo.stream(request)) {
			String answer = String.join("", round(stream).stream().map(ModelChunk::text).toList());

			assertThat(answer).contains("$$\\sum_{k=1}^{n}")
				.contains("\\(e^{i\\pi} + 1 = 0\\)")
				.contains("|---|---|---|")
				.contains("```mermaid\ngraph LR");
		}
	}

	@Test
	void withWebSearchOnItAnswersWithSourcesWhoseSegmentsAreInTheAnswer() {
		ModelRequest request = new ModelRequest(DemoChatModel.MODEL,
				List.of(new Turn(Author.USER, "How does grounding work?")), null, null, tools, true);
		try (ModelStream stream = demo.stream(request)) {
			List<ModelChunk> chunks = round(stream);
			String answer = String.join("", chunks.stream().map(ModelChunk::text).toList());
			SearchGrounding grounding = chunks.stream()
				.map(ModelChunk::grounding)
				.filter(Objects::nonNull)
				.findFirst()
				.orElseThrow();

			assertThat(answer).isEqualTo(DemoChatModel.GROUNDED_ANSWER);
			assertThat(grounding.sources()).hasSize(3).allSatisfy(s -> assertThat(s.uri()).startsWith("https://"));
			assertThat(grounding.supports()).hasSize(3).allSatisfy(support -> {
				byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
				String segment = new String(bytes, support.startByte(), support.endByte() - support.startByte(),
						StandardCharsets.UTF_8);
				assertThat(segment).isEqualTo(support.text());
			});
			assertThat(grounding.queries()).containsExactly("How does grounding work?");
		}
	}

	@Test
	void itAcknowledgesTheFilesOfTheLatestPromptWithTypeSizeAndPixels() {
		ModelRequest.Attachment photo = file("cat.png", "image/png", 34 * 1024, 640, 480);
		ModelRequest.Attachment notes = file("notes.txt", "text/plain", 812, null, null);
		ModelRequest request = new ModelRequest(DemoChatModel.MODEL,
				List.of(new Turn(Author.USER, "earlier", List.of(),
						List.of(file("old.pdf", "application/pdf", 5000, null, null))), new Turn(Author.MODEL, "ok"),
						new Turn(Author.USER, "What are these?", List.of(), List.of(photo, notes))));
		try (ModelStream stream = demo.stream(request)) {
			String answer = String.join("", round(stream).stream().map(ModelChunk::text).toList());

			assertThat(answer).contains("I received **2 files**")
				.contains("**cat.png**: image/png, 34 KB, 640 × 480 pixels")
				.contains("**notes.txt**: text/plain, 812 bytes")
				.contains("1 more file");
		}
	}

	static ModelRequest.Attachment file(String name, String type, long size, @Nullable Integer width,
			@Nullable Integer height) {
		return new ModelRequest.Attachment() {
			public String name() {
				return name;
			}

			public String mimeType() {
				return type;
			}

			public long size() {
				return size;
			}

			public @Nullable Integer width() {
				return width;
			}

			public @Nullable Integer height() {
				return height;
			}

			public byte[] bytes() {
				throw new AssertionError("the demo needs no bytes");
			}

			public Optional<ModelRequest.RemoteFile> remote() {
				return Optional.empty();
			}

			public void remember(ModelRequest.RemoteFile uploaded) {
				throw new AssertionError("the demo uploads nothing");
			}
		};
	}

}
