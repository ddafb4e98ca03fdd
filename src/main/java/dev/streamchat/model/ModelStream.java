package dev.streamchat.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One reply being generated, read by a single thread. {@link #cancel()} may be called
 * from any thread at any time and makes a blocked {@link #next()} return promptly,
 * releasing the upstream connection even if the model is silent.
 * <p>
 * A reply may take several rounds: when a round ends ({@link #next()} returned null)
 * after the model asked for tool calls, the reader runs them and calls
 * {@link #continueWith} with their results; the stream then sends the model its own turn
 * (as received, so opaque data such as thought signatures survives) and the function
 * responses in the same multi-turn request, and {@link #next()} continues with the
 * model's next round.
 */
public interface ModelStream extends AutoCloseable {

	/**
	 * Blocks for the next chunk; {@code null} once the current round is complete.
	 * @throws ModelException when the model fails, the connection breaks or the stream
	 * was cancelled
	 */
	@Nullable ModelChunk next();

	/**
	 * Starts the next round with the results of every tool call of the round that just
	 * ended.
	 */
	void continueWith(List<ToolResult> results);

	void cancel();

	@Override
	void close();

}
