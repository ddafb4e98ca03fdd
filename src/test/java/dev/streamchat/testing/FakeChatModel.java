package dev.streamchat.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory fake of the {@link ChatModel} port, for tests of the streaming logic: no
 * HTTP, no SDK, no wire format. A reply is scripted per prompt (the first script whose
 * key the last user turn contains, used once; later ones queue) as rounds of chunks, each
 * round ending as the model's turn does, with an error, or in silence that only
 * {@link ModelStream#cancel()} breaks. Chunks are handed over as fast as the reader takes
 * them, unless a round is told to wait for {@link #release}. {@code FakeGemini} stays the
 * fake of the adapter and browser tests, where the wire protocol is what is tested.
 */
public final class FakeChatModel implements ChatModel {

	/** How a round ends once its chunks are read. */
	public enum Ending {

		/** The round ends normally ({@code next()} returns null). */
		END,
		/** Nothing more arrives until the stream is cancelled. */
		SILENCE

	}

	/**
	 * One round of the model's answer: chunks, then its ending or {@code failure}. With a
	 * {@code gate}, the chunks from index {@code holdAfter} on wait until it opens.
	 */
	public record Round(List<ModelChunk> chunks, Ending ending, @Nullable ModelException failure,
			@Nullable CountDownLatch gate, int holdAfter, Duration every) {

		public Round then(Ending end) {
			return new Round(chunks, end, failure, gate, holdAfter, every);
		}

		public Round failing(ModelException error) {
			return new Round(chunks, Ending.END, error, gate, holdAfter, every);
		}

		/**
		 * Each chunk after the first comes {@code interval} after the one before, as from
		 * a model that streams at that pace.
		 */
		public Round every(Duration interval) {
			return new Round(chunks, ending, failure, gate, holdAfter, interval);
		}

		/** The chunks wait until {@link FakeChatModel#release} opens {@code gate}. */
		public Round heldBy(CountDownLatch until) {
			return holdAfter(0, until);
		}

		/**
		 * The first {@code count} chunks come at once, the rest once {@code until} opens.
		 */
		public Round holdAfter(int count, CountDownLatch until) {
			return new Round(chunks, ending, failure, until, count, every);
		}

		/** The token counts the model reports with the round's last chunk. */
		public Round usage(int input, int output, int thoughts) {
			List<ModelChunk> all = new ArrayList<>(chunks);
			ModelChunk last = all.removeLast();
			all.add(new ModelChunk(last.text(), last.thought(), last.toolCalls(), last.finishReason(),
					new ModelChunk.TokenCounts(input, output, thoughts), last.grounding()));
			return new Round(List.copyOf(all), ending, failure, gate, holdAfter, every);
		}

		/** The answer text of the round, all of it. */
		public String text() {
			StringBuilder text = new StringBuilder();
			chunks.forEach(chunk -> text.append(chunk.text()));
			return text.toString();
		}
	}

	public static Round chunks(String... texts) {
		return chunks(List.of(texts));
	}

	public static Round chunks(List<String> texts) {
		List<ModelChunk> chunks = new ArrayList<>();
		for (String text : texts) {
			chunks.add(ModelChunk.text(text));
		}
		chunks.add(new ModelChunk("", "STOP", new ModelChunk.TokenCounts(3, texts.size(), 0)));
		return events(chunks);
	}

	/** A round of these chunks exactly (text, thoughts, grounding, finish reason). */
	public static Round events(List<ModelChunk> chunks) {
		return new Round(List.copyOf(chunks), Ending.END, null, null, 0, Duration.ZERO);
	}

	public static Round toolCall(String name, Map<String, Object> args) {
		return events(List.of(ModelChunk.toolCalls(List.of(new ToolCall(null, name, args)))));
	}

	public static Round failure(ModelException error) {
		return events(List.of()).failing(error);
	}

	/** A scripted reply: its rounds, one per request of a tool-calling answer. */
	public record Script(List<Round> rounds) {
	}

	private final Map<String, Deque<Script>> scripts = new ConcurrentHashMap<>();

	private final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

	private final List<Instant> askedAt = new CopyOnWriteArrayList<>();

	private final List<List<ToolResult>> toolResults = new CopyOnWriteArrayList<>();

	private final List<ModelStream> cancelled = new CopyOnWriteArrayList<>();

	/**
	 * Answers the next prompt containing {@code key} with {@code rounds} (one per tool
	 * round).
	 */
	public FakeChatModel when(String key, Round... rounds) {
		scripts.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).add(new Script(List.of(rounds)));
		return this;
	}

	public void reset() {
		scripts.clear();
		requests.clear();
		askedAt.clear();
		toolResults.clear();
		cancelled.clear();
	}

	/**
	 * Every request, in the order streams were opened (each tool round is part of its
	 * stream's request).
	 */
	public List<ModelRequest> requests() {
		return List.copyOf(requests);
	}

	/** When each request of {@link #requests()} was made. */
	public List<Instant> askedAt() {
		return List.copyOf(askedAt);
	}

	/** The results sent back after each tool round, in order. */
	public List<List<ToolResult>> toolResults() {
		return List.copyOf(toolResults);
	}

	/** Streams that were cancelled (Stop, shutdown). */
	public int cancellations() {
		return cancelled.size();
	}

	public static void release(CountDownLatch gate) {
		gate.countDown();
	}

	@Override
	public ModelStream stream(ModelRequest request) {
		requests.add(request);
		askedAt.add(Instant.now());
		String prompt = request.lastUserText();
		Script script = scripts.entrySet()
			.stream()
			.filter(e -> prompt.contains(e.getKey()) && !e.getValue().isEmpty())
			.findFirst()
			.map(e -> e.getValue().poll())
			.orElseGet(() -> new Script(List.of(chunks("(no script for: " + prompt + ")"))));
		return new Stream(script);
	}

	private final class Stream implements ModelStream {

		private final List<Round> rounds;

		private final CountDownLatch cancel = new CountDownLatch(1);

		private int round;

		private int chunk;

		Stream(Script script) {
			this.rounds = script.rounds();
		}

		@Override
		public @Nullable ModelChunk next() {
			if (round >= rounds.size()) {
				return null;
			}
			Round current = rounds.get(round);
			CountDownLatch gate = current.gate();
			if (gate != null && chunk == current.holdAfter()) {
				waitFor(gate);
			}
			checkCancelled();
			if (chunk < current.chunks().size()) {
				if (chunk > 0 && !current.every().isZero()) {
					LockSupport.parkNanos(current.every().toNanos());
					checkCancelled();
				}
				return current.chunks().get(chunk++);
			}
			ModelException failure = current.failure();
			if (failure != null) {
				throw failure;
			}
			if (current.ending() == Ending.SILENCE) {
				waitFor(cancel);
				checkCancelled();
			}
			return null;
		}

		/** Blocks until {@code latch} opens or the stream is cancelled (then throws). */
		private void waitFor(CountDownLatch latch) {
			try {
				while (!latch.await(5, TimeUnit.MILLISECONDS)) {
					checkCancelled();
				}
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new ModelException(ModelException.Kind.CANCELLED, "cancelled");
			}
		}

		private void checkCancelled() {
			if (cancel.getCount() == 0) {
				throw new ModelException(ModelException.Kind.CANCELLED, "The answer was stopped.");
			}
		}

		@Override
		public void continueWith(List<ToolResult> results) {
			toolResults.add(List.copyOf(results));
			round++;
			chunk = 0;
		}

		@Override
		public void cancel() {
			if (cancel.getCount() > 0) {
				cancel.countDown();
				cancelled.add(this);
			}
		}

		@Override
		public void close() {
		}

	}

}
