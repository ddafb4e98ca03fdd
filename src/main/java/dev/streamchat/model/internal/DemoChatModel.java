package dev.streamchat.model.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelProperties;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.SearchGrounding;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import org.jspecify.annotations.Nullable;

/**
 * An offline stand-in for Gemini, used when no API key is configured: it streams a
 * realistic markdown answer at a model's pace so the whole app can be tried on a fresh
 * machine.
 */
public class DemoChatModel implements ChatModel {

	public static final String MODEL = "demo (offline)";

	private final ModelProperties.Demo pace;

	public DemoChatModel(ModelProperties.Demo pace) {
		this.pace = pace;
	}

	@Override
	public ModelStream stream(ModelRequest request) {
		String prompt = request.lastUserText();
		boolean canCallTools = request.tools().stream().anyMatch(t -> t.name().equals(TIME_TOOL));
		String zone = zoneIn(prompt);
		if (canCallTools && asksForTime(prompt)) {
			// round one: think, say what happens, call the clock; round two follows
			// continueWith
			List<ModelChunk> first = new ArrayList<>(
					thoughts("**Checking the clock**\n\nThe user wants the current time in " + zone
							+ ". I should not guess it: the `current_time` tool knows it exactly."));
			first.addAll(words("Let me check the clock for **" + zone + "**.\n\n"));
			first.add(ModelChunk.toolCalls(List.of(new ToolCall("demo-1", TIME_TOOL, Map.of("time_zone", zone)))));
			return new DemoStream(first, results -> words(timeAnswer(results)), pace);
		}
		if (request.webSearch()) {
			List<ModelChunk> grounded = new ArrayList<>(thoughts("**Searching the web**\n\nThis is the offline "
					+ "demo: instead of Google Search I will cite a few fixed pages."));
			grounded.addAll(words(GROUNDED_ANSWER));
			grounded.add(ModelChunk.grounding(groundedSources(prompt)));
			return new DemoStream(grounded, null, pace);
		}
		List<ModelChunk> chunks = new ArrayList<>(thoughts("**Choosing an answer**\n\nThis is the offline demo: "
				+ "I will pick a canned answer that fits the question."));
		chunks.addAll(words(attachmentsNote(request) + answerFor(prompt, request.history().size())));
		return new DemoStream(chunks, null, pace);
	}

	/**
	 * What the demo "sees" of the files on the latest prompt (and how many came earlier),
	 * so that attachments can be tried without a key: name, type, size and an image's
	 * pixel size.
	 */
	static String attachmentsNote(ModelRequest request) {
		List<ModelRequest.Turn> history = request.history();
		int last = lastUserIndex(history);
		List<ModelRequest.Attachment> latest = last < 0 ? List.of() : history.get(last).attachments();
		int earlier = 0;
		for (int i = 0; i < last; i++) {
			earlier += history.get(i).attachments().size();
		}
		if (latest.isEmpty() && earlier == 0) {
			return "";
		}
		StringBuilder note = new StringBuilder();
		if (!latest.isEmpty()) {
			note.append(latest.size() == 1 ? "I received **1 file**:\n\n"
					: "I received **" + latest.size() + " files**:\n\n");
			for (ModelRequest.Attachment file : latest) {
				note.append("- **")
					.append(escape(file.name()))
					.append("**: ")
					.append(file.mimeType())
					.append(", ")
					.append(readableSize(file.size()));
				if (file.width() != null && file.height() != null) {
					note.append(", ").append(file.width()).append(" × ").append(file.height()).append(" pixels");
				}
				note.append('\n');
			}
			note.append('\n');
		}
		if (earlier > 0) {
			note.append("Earlier messages of this conversation carry ")
				.append(earlier)
				.append(earlier == 1 ? " more file" : " more files")
				.append(", sent again with every prompt.\n\n");
		}
		return note.toString();
	}

	private static int lastUserIndex(List<ModelRequest.Turn> history) {
		for (int i = history.size() - 1; i >= 0; i--) {
			if (history.get(i).author() == ModelRequest.Author.USER) {
				return i;
			}
		}
		return -1;
	}

	static String readableSize(long bytes) {
		if (bytes < 1024) {
			return bytes + (bytes == 1 ? " byte" : " bytes");
		}
		if (bytes < 1024 * 1024) {
			return Math.round(bytes / 1024.0) + " KB";
		}
		return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
	}

	static final String TIME_TOOL = "current_time";

	private static final Map<String, String> CITIES = Map.of("tokyo", "Asia/Tokyo", "london", "Europe/London", "paris",
			"Europe/Paris", "berlin", "Europe/Berlin", "new york", "America/New_York", "sydney", "Australia/Sydney",
			"los angeles", "America/Los_Angeles");

	static boolean asksForTime(String prompt) {
		String lower = prompt.toLowerCase(Locale.ROOT);
		return lower.contains("time") || lower.contains("date") || lower.contains("clock") || lower.contains("tool");
	}

	private static String zoneIn(String prompt) {
		String lower = prompt.toLowerCase(Locale.ROOT);
		return CITIES.entrySet()
			.stream()
			.filter(e -> lower.contains(e.getKey()))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse("UTC");
	}

	private static String timeAnswer(List<ToolResult> results) {
		ToolResult result = results.getFirst();
		if (result.failed()) {
			return "The clock tool failed (" + result.error() + "), so I cannot tell the time exactly.";
		}
		// the result itself, as the call did not fail
		Map<String, Object> time = result.response();
		return "It is **" + time.get("date_time") + "** (" + time.get("day_of_week") + ") in " + time.get("time_zone")
				+ ".\n\nThat came from a real tool call: the card above shows "
				+ "what was asked and what the tool answered. With Gemini, the model decides by itself when to use "
				+ "the clock, the exact calculator or the search over your earlier chats.\n";
	}

	private static List<ModelChunk> thoughts(String text) {
		return split(text).stream().map(ModelChunk::thought).toList();
	}

	private static List<ModelChunk> words(String text) {
		return split(text).stream().map(ModelChunk::text).toList();
	}

	static String answerFor(String prompt, int turns) {
		String topic = prompt.strip().replaceAll("\\s+", " ");
		if (topic.length() > 80) {
			topic = topic.substring(0, 77) + "…";
		}
		String lower = prompt.toLowerCase(Locale.ROOT);
		String intro = "*This is the offline demo model: no API key is configured, so this answer is canned.* "
				+ "You asked about **" + escape(topic) + "**";
		if (turns > 1) {
			intro += " (message " + (turns + 1) / 2 + " of this conversation)";
		}
		intro += ".\n\n";
		if (lower.contains("code") || lower.contains("java") || lower.contains("function")) {
			return intro + CODE_ANSWER;
		}
		if (lower.contains("table") || lower.contains("compare")) {
			return intro + TABLE_ANSWER;
		}
		if (lower.contains("math") || lower.contains("formula") || lower.contains("diagram")) {
			return intro + MATH_AND_DIAGRAM_ANSWER;
		}
		return intro + GENERAL_ANSWER;
	}

	private static String escape(String text) {
		return text.replaceAll("([\\\\`*_\\[\\]<>#])", "\\\\$1");
	}

	private static final String GENERAL_ANSWER = """
			Here is how a streamed answer comes together:

			1. The server asks the model for a reply and creates an **empty message** at once.
			2. Tokens arrive in small chunks; each one is pushed to every open tab *as it comes*.
			3. Chunks are written to the database in **batches**, so storage keeps up without slowing the screen.

			> Tip: open the same pane in a second tab and send another prompt: both tabs stream live.

			Some things to try:

			- Ask for *code* to see a fenced code block.
			- Ask for a *table* to see a comparison table.
			- Ask for *math* or a *diagram* to see formulas and a drawn diagram.
			- Ask *what time is it in Tokyo?* to see a tool call.
			- Press **Stop** while this is streaming: the text so far is kept.

			That's all for now: set `GEMINI_API_KEY` and restart to talk to Gemini for real.
			""";

	private static final String CODE_ANSWER = """
			A small, complete example in Java:

			```java
			import java.util.stream.IntStream;

			public class Fizz {
			    public static void main(String[] args) {
			        IntStream.rangeClosed(1, 15)
			                .mapToObj(i -> i % 15 == 0 ? "FizzBuzz"
			                        : i % 3 == 0 ? "Fizz"
			                        : i % 5 == 0 ? "Buzz"
			                        : String.valueOf(i))
			                .forEach(System.out::println);
			    }
			}
			```

			How it works:

			- `IntStream.rangeClosed(1, 15)` yields the numbers **1 to 15**.
			- Each number is mapped to its word; multiples of 15 are checked first.
			- `forEach` prints one line per number.

			Run it with `java Fizz.java` on Java 11 or newer.
			""";

	private static final String TABLE_ANSWER = """
			A quick comparison of ways to show a streamed answer:

			| Approach | Latency on screen | Database writes | Notes |
			|---|---|---|---|
			| Write every token, then show | high | one per token | the screen waits for the disk |
			| Show every token, write in batches | low | one per batch | what this app does |
			| Show at the end | very high | one | no streaming at all |

			The middle row wins: **durability** and **display** get separate budgets.
			""";

	private static final String MATH_AND_DIAGRAM_ANSWER = """
			Formulas are typeset once their paragraph is complete. The sum of the first $n$ numbers:

			$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$

			and Euler's identity inline, \\(e^{i\\pi} + 1 = 0\\). Prices such as $5 and $10 stay text.

			| symbol | meaning | example |
			|---|---|---|
			| $\\alpha$ | a learning rate | $\\alpha = 0.01$ |
			| $\\sigma^2$ | a variance | $\\sigma^2 = 4$ |

			A diagram is drawn once its code block closes; while it streams you see its code:

			```mermaid
			graph LR
			  P[Prompt] --> M[Model]
			  M -->|tokens| S[Screen]
			  M -->|batches| D[(Database)]
			```

			Both come from the browser: KaTeX for math, Mermaid for diagrams.
			""";

	/**
	 * The demo's answer with "Search the web" on: three of its sentences are tied to
	 * sources.
	 */
	static final String GROUNDED_ANSWER = """
			*Offline demo: no web search happened; these sources are fixed.* With web search on, Gemini \
			answers from Google Search results and says which pages back each sentence.

			Grounding with Google Search connects the model to real-time web content. \
			The response carries groundingMetadata with the queries, the sources and which text each source supports. \
			Vaadin Push keeps a websocket open, so every token reaches the screen as it arrives.

			Click a number to jump to its source below the answer.
			""";

	private static final List<String[]> DEMO_SOURCES = List.of(
			new String[] { "Grounding with Google Search | Gemini API",
					"https://ai.google.dev/gemini-api/docs/google-search", "ai.google.dev" },
			new String[] { "Server Push | Vaadin Docs", "https://vaadin.com/docs/latest/flow/advanced/server-push",
					"vaadin.com" },
			new String[] { "google-genai Java SDK", "https://github.com/googleapis/java-genai", "github.com" });

	/** Sentences of {@link #GROUNDED_ANSWER} and the sources behind each. */
	private static final List<Map.Entry<String, List<Integer>>> DEMO_SUPPORTS = List.of(
			Map.entry("Grounding with Google Search connects the model to real-time web content.", List.of(0)),
			Map.entry("The response carries groundingMetadata with the queries, the sources and which text each "
					+ "source supports.", List.of(0, 2)),
			Map.entry("Vaadin Push keeps a websocket open, so every token reaches the screen as it arrives.",
					List.of(1)));

	/**
	 * The demo's sources as Gemini reports them: segments with UTF-8 byte offsets into
	 * the answer.
	 */
	static SearchGrounding groundedSources(String prompt) {
		List<SearchGrounding.Support> supports = new ArrayList<>();
		for (Map.Entry<String, List<Integer>> support : DEMO_SUPPORTS) {
			int start = GROUNDED_ANSWER.indexOf(support.getKey());
			int startByte = utf8Length(GROUNDED_ANSWER.substring(0, start));
			supports.add(new SearchGrounding.Support(startByte, startByte + utf8Length(support.getKey()),
					support.getKey(), support.getValue()));
		}
		String query = prompt.strip().replaceAll("\\s+", " ");
		query = query.length() > 60 ? query.substring(0, 60) : query;
		return new SearchGrounding(
				DEMO_SOURCES.stream().map(s -> new SearchGrounding.Source(s[0], s[1], s[2])).toList(), supports,
				List.of(query), null, null);
	}

	private static int utf8Length(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

	/**
	 * Streams canned chunks word by word, pausing like a model would, in up to two
	 * rounds.
	 */
	private static final class DemoStream implements ModelStream {

		/** Null for a one-round answer. */
		private final @Nullable Function<List<ToolResult>, List<ModelChunk>> secondRound;

		private final ModelProperties.Demo pace;

		private final CountDownLatch cancelled = new CountDownLatch(1);

		private List<ModelChunk> chunks;

		private int next;

		private int produced;

		DemoStream(List<ModelChunk> chunks, @Nullable Function<List<ToolResult>, List<ModelChunk>> secondRound,
				ModelProperties.Demo pace) {
			this.chunks = chunks;
			this.secondRound = secondRound;
			this.pace = pace;
		}

		@Override
		public @Nullable ModelChunk next() {
			if (next > chunks.size()) {
				return null;
			}
			pause(next == 0 ? pace.firstDelay() : pace.chunkDelay());
			if (next == chunks.size()) {
				next++;
				return new ModelChunk("", "STOP", new ModelChunk.TokenCounts(12, produced, 9));
			}
			produced++;
			return chunks.get(next++);
		}

		@Override
		public void continueWith(List<ToolResult> results) {
			if (secondRound == null) {
				throw new IllegalStateException("the demo model asked for no tools");
			}
			chunks = secondRound.apply(results);
			next = 0;
		}

		private void pause(Duration delay) {
			long nanos = delay.toNanos();
			if (nanos > 0) {
				// up to ±50 % jitter, like tokens arriving over a network
				nanos = nanos / 2 + ThreadLocalRandom.current().nextLong(nanos + 1);
			}
			try {
				if (cancelled.await(nanos, TimeUnit.NANOSECONDS)) {
					throw new ModelException(ModelException.Kind.CANCELLED, "Stopped.");
				}
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new ModelException(ModelException.Kind.CANCELLED, "Stopped.");
			}
		}

		@Override
		public void cancel() {
			cancelled.countDown();
		}

		@Override
		public void close() {
			cancel();
		}

	}

	/** Pieces of one to three words (with their spaces), as tokens come in groups. */
	static List<String> split(String text) {
		List<String> result = new ArrayList<>();
		int start = 0;
		int words = 0;
		int wanted = 1 + ThreadLocalRandom.current().nextInt(3);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ((c == ' ' || c == '\n') && i > start) {
				if (++words >= wanted) {
					result.add(text.substring(start, i + 1));
					start = i + 1;
					words = 0;
					wanted = 1 + ThreadLocalRandom.current().nextInt(3);
				}
			}
		}
		if (start < text.length()) {
			result.add(text.substring(start));
		}
		return result;
	}

}
