package dev.streamchat.streaming.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.ToolResult;
import org.jspecify.annotations.Nullable;

/**
 * A reply's first request, sent the moment the reply is admitted, while its prompt and
 * empty reply are still being stored: the model's time to its first token and the
 * database's writes overlap instead of adding up. What comes back first (a chunk, the end
 * or a failure) is held until the generation, started once the reply is stored, reads it;
 * every later chunk waits in the stream itself, which is only read on demand, so nothing
 * that arrives before the reply's row exists is lost. To the generation this is the
 * model: its first {@link #stream} is the request already on its way, any later one (a
 * retry) a new request.
 */
final class EarlyRequest implements ChatModel {

	/**
	 * What the first {@code next()} gave: a chunk, the end of the round, or a failure.
	 */
	private record First(@Nullable ModelStream stream, @Nullable ModelChunk chunk, @Nullable RuntimeException failure) {
	}

	private final ChatModel model;

	private final ModelRequest request;

	private final CompletableFuture<First> first = new CompletableFuture<>();

	private final AtomicBoolean taken = new AtomicBoolean();

	/**
	 * Set by {@link #abandon} or the generation's cancel; the sending thread looks too.
	 */
	private volatile boolean cancelled;

	/** The stream being opened, once {@code model.stream} has returned it. */
	private volatile @Nullable ModelStream opening;

	private EarlyRequest(ChatModel model, ModelRequest request) {
		this.model = model;
		this.request = request;
	}

	/**
	 * Sends {@code request} now, on a virtual thread of its own (the model is only asked
	 * on the first {@code next()}, which blocks until its first chunk).
	 */
	static EarlyRequest send(ChatModel model, ModelRequest request) {
		EarlyRequest sent = new EarlyRequest(model, request);
		Thread.ofVirtual().name("early-request").start(sent::open);
		return sent;
	}

	private void open() {
		ModelStream stream = null;
		try {
			stream = model.stream(request);
			opening = stream;
			if (cancelled) {
				stream.cancel(); // abandoned while it was being opened
			}
			first.complete(new First(stream, stream.next(), null));
		}
		catch (RuntimeException e) {
			first.complete(new First(stream, null, e));
		}
	}

	/**
	 * The reply was not stored (or not started): the request is cancelled and its stream
	 * closed once it has opened, so the upstream connection is let go of.
	 */
	void abandon() {
		taken.set(true);
		cancel();
		first.thenAccept(f -> {
			if (f.stream() != null) {
				f.stream().close();
			}
		});
	}

	private void cancel() {
		cancelled = true;
		ModelStream stream = opening;
		if (stream != null) {
			stream.cancel();
		}
	}

	@Override
	public ModelStream stream(ModelRequest asked) {
		if (asked != request || !taken.compareAndSet(false, true)) {
			return model.stream(asked);
		}
		return new Held();
	}

	/** The stream of the request sent early, with its first result held. */
	private final class Held implements ModelStream {

		private boolean firstRead;

		@Override
		public @Nullable ModelChunk next() {
			if (!firstRead) {
				firstRead = true;
				First result = first.join();
				if (result.failure() != null) {
					throw result.failure();
				}
				return result.chunk();
			}
			return stream().next();
		}

		@Override
		public void continueWith(List<ToolResult> results) {
			stream().continueWith(results);
		}

		@Override
		public void cancel() {
			EarlyRequest.this.cancel();
		}

		@Override
		public void close() {
			// closed without reading (stopped at once): close it once it has opened
			first.thenAccept(f -> {
				if (f.stream() != null) {
					f.stream().close();
				}
			});
		}

		private ModelStream stream() {
			ModelStream stream = first.join().stream();
			if (stream == null) {
				throw new IllegalStateException("the early request failed before its stream opened");
			}
			return stream;
		}

	}

}
