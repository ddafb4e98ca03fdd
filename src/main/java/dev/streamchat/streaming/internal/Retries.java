package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.model.ModelException;
import dev.streamchat.streaming.StreamingProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether, and when, a reply's request is tried again after it failed: only while nothing
 * of the attempt has reached the user, the failure may pass
 * ({@link ModelException#worthRetrying()}), attempts are left and the wait ends before
 * the reply's deadline; the wait is the model's {@code Retry-After} or a jittered
 * backoff, and the user sees it as a phase of the reply ("retrying (2/4) in 3 s").
 */
final class Retries {

	private static final Logger log = LoggerFactory.getLogger(Retries.class);

	private final StreamingProperties.Retry policy;

	private final MessageId messageId;

	private final ConversationId conversationId;

	private final MessageBroadcaster broadcaster;

	private final StreamingMetrics metrics;

	private final Clock clock;

	private final Instant deadline;

	/** Counted down when the reply is stopped: a wait ends at once then. */
	private final CountDownLatch stopped;

	private final RandomGenerator random;

	Retries(StreamingProperties.Retry policy, MessageId messageId, ConversationId conversationId,
			MessageBroadcaster broadcaster, StreamingMetrics metrics, Clock clock, Instant startedAt,
			CountDownLatch stopped, RandomGenerator random) {
		this.policy = policy;
		this.messageId = messageId;
		this.conversationId = conversationId;
		this.broadcaster = broadcaster;
		this.metrics = metrics;
		this.clock = clock;
		this.deadline = startedAt.plus(policy.deadline());
		this.stopped = stopped;
		this.random = random;
	}

	/**
	 * How long to wait before trying again after attempt {@code attempt} failed with
	 * {@code e}; empty when the reply fails now.
	 * @param nothingShown whether the attempt added nothing to the reply (a retry then
	 * repeats nothing)
	 */
	Optional<Duration> after(ModelException e, int attempt, boolean nothingShown) {
		Duration wait = e.retryAfter().orElseGet(() -> policy.backoff(attempt + 1, random));
		boolean retryable = e.worthRetrying() && nothingShown;
		if (retryable && attempt < policy.maxAttempts() && clock.instant().plus(wait).isBefore(deadline)) {
			return Optional.of(wait);
		}
		return Optional.empty();
	}

	/** What the user reads when the reply fails with {@code e} after {@code attempt}s. */
	static @Nullable String gaveUp(ModelException e, int attempt) {
		String message = e.getMessage();
		if (attempt > 1) {
			message += " (gave up after " + attempt + " attempts)";
		}
		return message;
	}

	/**
	 * Shows that (and when) the reply is tried again, and waits; false if the user
	 * stopped it meanwhile.
	 */
	boolean waitToRetry(ModelException e, int attempt, Duration wait) {
		metrics.retried();
		long seconds = Math.max(1, Math.round(wait.toMillis() / 1000.0));
		log.info("Reply {}: attempt {} failed ({}), retrying in {} ms", messageId, attempt, e.kind(), wait.toMillis());
		broadcaster.publish(new MessageEvent.PhaseChanged(conversationId, messageId, MessageEvent.Phase.RETRYING,
				"%s: retrying (%d/%d) in %d s".formatted(shortReason(e), attempt + 1, policy.maxAttempts(), seconds)));
		if (!awaitUnlessStopped(wait)) {
			return false;
		}
		broadcaster.publish(new MessageEvent.PhaseChanged(conversationId, messageId, MessageEvent.Phase.WAITING, null));
		return true;
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
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
