package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatStore;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.PaneId;
import dev.streamchat.chat.Usage;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;
import dev.streamchat.streaming.ReplyStorage;
import dev.streamchat.streaming.StreamingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One assistant reply being generated: reads the model's stream on its own thread, publishes
 * every chunk at once as a delta, hands it to {@link ReplyStorage} (batched by default), and ends the reply
 * in its own row as complete, failed or stopped.
 */
public final class Generation {

    private static final Logger log = LoggerFactory.getLogger(Generation.class);

    private final MessageId messageId;
    private final PaneId paneId;
    private final ModelRequest request;
    private final ChatModel model;
    private final ChatStore store;
    private final MessageBroadcaster broadcaster;
    private final ReplyStorage storage;
    private final StreamingProperties properties;
    private final Clock clock;
    private final Instant startedAt;
    /** Everything generated so far; guarded by {@code this}. Late subscribers copy it once. */
    private final StringBuilder text = new StringBuilder();
    private volatile ModelStream stream;
    private volatile MessageStatus stopAs;
    private volatile String stopReason;
    private volatile int storageWrites;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final StreamingMetrics metrics;
    private final RandomGenerator random = RandomGenerator.getDefault();

    public Generation(MessageId messageId, PaneId paneId, ModelRequest request, ChatModel model, ChatStore store,
                      ReplyStorage storage, MessageBroadcaster broadcaster, StreamingProperties properties, StreamingMetrics metrics,
                      Clock clock) {
        this.messageId = messageId;
        this.paneId = paneId;
        this.request = request;
        this.model = model;
        this.store = store;
        this.broadcaster = broadcaster;
        this.storage = storage;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public MessageId messageId() {
        return messageId;
    }

    public PaneId paneId() {
        return paneId;
    }

    /** The text generated so far: a copy, taken once by a UI that starts showing this reply mid-stream. */
    public synchronized String text() {
        return text.toString();
    }

    /** Completed by the owner once the reply has ended and been published. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Batches appended to storage (not counting the final write). */
    public int storageWrites() {
        return storageWrites;
    }

    /**
     * Ends the reply early, keeping the text so far; returns at once. The reading thread notices
     * within milliseconds even if the model is silent, since the upstream call is cancelled.
     */
    public void stop(MessageStatus status, String reason) {
        if (stopAs != null) {
            return;
        }
        stopReason = reason;
        stopAs = status;
        stopped.countDown();
        ModelStream current = stream;
        if (current != null) {
            current.cancel();
        }
    }

    /** Runs the whole reply; called once, on the generation's own (virtual) thread. */
    public void run() {
        ReplyStorage.Writer writer = storage.open(messageId);
        Outcome outcome = generate(writer);
        boolean allStored = writer.close(Duration.ofSeconds(10));
        storageWrites = writer.writes();
        metrics.ended(outcome.status().name());
        finish(outcome, allStored);
    }

    /**
     * Reads the model's stream into the reply. A failure before any text arrived is retried when
     * it may pass (visibly, as a phase of the reply); once text has reached the user it never is.
     */
    private Outcome generate(ReplyStorage.Writer writer) {
        StreamingProperties.Retry retry = properties.retry();
        Instant deadline = startedAt.plus(retry.deadline());
        String finishReason = null;
        ModelChunk.TokenCounts usage = null;
        for (int attempt = 1; ; attempt++) {
            boolean receivedAny = false;
            try (ModelStream opened = model.stream(request)) {
                stream = opened;
                if (stopAs != null) {
                    opened.cancel();
                }
                ModelChunk chunk;
                while (stopAs == null && (chunk = opened.next()) != null) {
                    receivedAny = true;
                    if (!chunk.text().isEmpty()) {
                        accept(chunk.text(), writer);
                    }
                    if (chunk.finishReason() != null) {
                        finishReason = chunk.finishReason();
                    }
                    if (chunk.usage() != null) {
                        usage = chunk.usage();
                    }
                }
                return outcome(MessageStatus.COMPLETE, null, finishReason, usage);
            } catch (ModelException e) {
                if (stopAs != null) {
                    return outcome(MessageStatus.FAILED, null, finishReason, usage);
                }
                int next = attempt + 1;
                Duration wait = e.retryAfter().orElseGet(() -> retry.backoff(next, random));
                boolean retryable = e.worthRetrying() && !receivedAny && text().isEmpty();
                if (retryable && attempt < retry.maxAttempts() && clock.instant().plus(wait).isBefore(deadline)) {
                    metrics.retried();
                    long seconds = Math.max(1, Math.round(wait.toMillis() / 1000.0));
                    log.info("Reply {}: attempt {} failed ({}), retrying in {} ms", messageId, attempt, e.kind(), wait.toMillis());
                    broadcaster.publish(new MessageEvent.PhaseChanged(paneId, messageId, MessageEvent.Phase.RETRYING,
                            "%s: retrying (%d/%d) in %d s".formatted(shortReason(e), attempt + 1, retry.maxAttempts(), seconds)));
                    if (!awaitUnlessStopped(wait)) {
                        return outcome(MessageStatus.FAILED, null, finishReason, usage);
                    }
                    broadcaster.publish(new MessageEvent.PhaseChanged(paneId, messageId, MessageEvent.Phase.WAITING, null));
                    continue;
                }
                metrics.failed(e.kind());
                String message = e.getMessage();
                if (attempt > 1) {
                    message += " (gave up after " + attempt + " attempts)";
                }
                return outcome(MessageStatus.FAILED, message, finishReason, usage);
            } catch (RuntimeException e) {
                log.error("Reply {} failed unexpectedly", messageId, e);
                return outcome(MessageStatus.FAILED, "Something went wrong on the server: " + e.getMessage(),
                        finishReason, usage);
            }
        }
    }

    private static String shortReason(ModelException e) {
        return switch (e.kind()) {
            case RATE_LIMITED -> "rate limited";
            case UNREACHABLE -> "model unreachable";
            default -> e.httpStatus() > 0 ? "model error " + e.httpStatus() : "model error";
        };
    }

    /** Waits before a retry; false if the user stopped the reply meanwhile. */
    private boolean awaitUnlessStopped(Duration wait) {
        try {
            return !stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void accept(String chunk, ReplyStorage.Writer writer) {
        int offset;
        synchronized (this) {
            offset = text.length();
            text.append(chunk);
        }
        if (offset == 0) {
            metrics.firstToken(Duration.between(startedAt, clock.instant()));
            broadcaster.publish(new MessageEvent.PhaseChanged(paneId, messageId, MessageEvent.Phase.GENERATING, null));
        }
        metrics.received(chunk.length());
        // the default writer only queues the chunk: storage happens on its own thread
        writer.append(offset, chunk);
        broadcaster.publish(new MessageEvent.Delta(paneId, messageId, offset, chunk));
    }

    /** A stop request wins over whatever the stream ended with, since cancelling makes it fail. */
    private Outcome outcome(MessageStatus status, String error, String finishReason, ModelChunk.TokenCounts usage) {
        MessageStatus stoppedAs = stopAs;
        Usage counts = usage == null ? Usage.NONE : new Usage(usage.input(), usage.output(), usage.thoughts());
        if (stoppedAs != null) {
            return new Outcome(stoppedAs, stopReason, finishReason, counts);
        }
        return new Outcome(status, error, finishReason, counts);
    }

    private void finish(Outcome outcome, boolean allStored) {
        String finalText = text();
        boolean saved = false;
        for (int attempt = 1; attempt <= 5 && !saved; attempt++) {
            try {
                if (!store.finish(messageId, finalText, outcome)) {
                    // another node ended it first (it took this one for dead): what is stored is the truth
                    var stored = store.message(messageId).filter(m -> m.status().isFinal());
                    if (stored.isPresent()) {
                        finalText = stored.get().text();
                        outcome = new Outcome(stored.get().status(), stored.get().error(),
                                stored.get().finishReason(), stored.get().usage());
                    }
                }
                saved = true;
            } catch (RuntimeException e) {
                log.warn("Storing the end of reply {} failed (attempt {}): {}", messageId, attempt, e.toString());
                sleepQuietly(Duration.ofMillis(100L << attempt));
            }
        }
        if (!saved) {
            // still STREAMING in storage: the next start-up marks it interrupted with what was stored
            log.error("Reply {} could not be stored; {} of {} characters were", messageId,
                    allStored ? finalText.length() : "some", finalText.length());
            outcome = new Outcome(MessageStatus.FAILED,
                    "The answer could not be saved (database unavailable); it is shown here but may be lost on reload.",
                    outcome.finishReason(), outcome.usage());
        }
        broadcaster.publish(new MessageEvent.Finished(paneId, messageId, outcome.status(), outcome.error(),
                outcome.finishReason(), outcome.usage(), Duration.between(startedAt, clock.instant()),
                finalText.length()));
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
