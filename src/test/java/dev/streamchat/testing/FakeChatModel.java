package dev.streamchat.testing;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;

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

	/** One round of the model's answer: chunks, then its ending or {@code failure}. */
	public record Round(List<ModelChunk> chunks, Ending ending, ModelException failure, CountDownLatch gate) {

		public Round then(Ending end) {
			return new Round(chunks, end, failure, gate);
		}

		public Round failing(ModelException error) {
			return new Round(chunks, Ending.END, error, gate);
		}

		/** The chunks wait until {@link FakeChatModel#release} opens {@code gate}. */
		public Round heldBy(CountDownLatch until) {
			return new Round(chunks, ending, failure, until);
		}
	}

	public static Round chunks(String... texts) {
		List<ModelChunk> chunks = new ArrayList<>();
		for (String text : texts) {
			chunks.add(ModelChunk.text(text));
		}
		chunks.add(new ModelChunk("", "STOP", new ModelChunk.TokenCounts(3, texts.length, 0)));
		return new Round(List.copyOf(chunks), Ending.END, null, null);
	}

	public static Round toolCall(String name, Map<String, Object> args) {
		return new Round(List.of(ModelChunk.toolCalls(List.of(new ToolCall(null, name, args)))), Ending.END, null,
				null);
	}

	public static Round failure(ModelException error) {
		return new Round(List.of(), Ending.END, error, null);
	}

	/** A scripted reply: its rounds, one per request of a tool-calling answer. */
	public record Script(List<Round> rounds) {
	}

	private final Map<String, Deque<Script>> scripts = new ConcurrentHashMap<>();

	private final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

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
		public ModelChunk next() {
			if (round >= rounds.size()) {
				return null;
			}
			Round current = rounds.get(round);
			if (chunk == 0 && current.gate() != null) {
				waitFor(current.gate());
			}
			checkCancelled();
			if (chunk < current.chunks().size()) {
				return current.chunks().get(chunk++);
			}
			if (current.failure() != null) {
				throw current.failure();
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
