package dev.streamchat.model;

/**
 * One reply being generated, read by a single thread. {@link #cancel()} may be called from any
 * thread at any time and makes a blocked {@link #next()} return promptly, releasing the upstream
 * connection even if the model is silent.
 */
public interface ModelStream extends AutoCloseable {

    /**
     * Blocks for the next chunk; {@code null} once the reply is complete.
     *
     * @throws ModelException when the model fails, the connection breaks or the stream was cancelled
     */
    ModelChunk next();

    void cancel();

    @Override
    void close();
}
