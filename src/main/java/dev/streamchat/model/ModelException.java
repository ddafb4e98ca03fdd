package dev.streamchat.model;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/** A model failure, already translated into words a user can act on. */
public class ModelException extends RuntimeException {

	public enum Kind {

		/** The request itself is wrong (400) or the model does not exist (404). */
		BAD_REQUEST(false),
		/** The key was rejected or lacks permission (401, 403). */
		AUTH(false),
		/** Too many requests (429). */
		RATE_LIMITED(true),
		/** The provider failed or is overloaded (5xx). */
		SERVER(true),
		/** No connection could be made. */
		UNREACHABLE(true),
		/** The connection broke or the stream was garbled after it started. */
		BROKEN_STREAM(false),
		/** Nothing arrived for longer than the idle timeout. */
		STALLED(false),
		/** The answer was withheld by the provider's safety filters. */
		BLOCKED(false),
		/** The stream was cancelled on our side. */
		CANCELLED(false),
		/**
		 * Refused on our side before anything was sent: the user's token budget is spent.
		 */
		BUDGET_SPENT(false);

		private final boolean transientFailure;

		Kind(boolean transientFailure) {
			this.transientFailure = transientFailure;
		}

		/** Whether trying again later could succeed. */
		public boolean isTransient() {
			return transientFailure;
		}

	}

	private final Kind kind;

	private final int httpStatus;

	private final @Nullable Duration retryAfter;

	private final boolean dailyQuotaExhausted;

	public ModelException(Kind kind, int httpStatus, String userMessage, @Nullable Throwable cause) {
		this(kind, httpStatus, userMessage, cause, null, false);
	}

	public ModelException(Kind kind, int httpStatus, String userMessage, @Nullable Throwable cause,
			@Nullable Duration retryAfter, boolean dailyQuotaExhausted) {
		super(userMessage, cause);
		this.kind = kind;
		this.httpStatus = httpStatus;
		this.retryAfter = retryAfter;
		this.dailyQuotaExhausted = dailyQuotaExhausted;
	}

	public ModelException(Kind kind, String userMessage) {
		this(kind, 0, userMessage, null);
	}

	/**
	 * How long the provider asked us to wait before trying again (Retry-After,
	 * RetryInfo), if it said.
	 */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(retryAfter);
	}

	/** A per-day quota is used up: trying again today is pointless. */
	public boolean dailyQuotaExhausted() {
		return dailyQuotaExhausted;
	}

	/**
	 * Whether an automatic retry could help: a transient failure that is not a spent
	 * daily quota.
	 */
	public boolean worthRetrying() {
		return kind.isTransient() && !dailyQuotaExhausted;
	}

	public Kind kind() {
		return kind;
	}

	/** The HTTP status behind the failure, or 0. */
	public int httpStatus() {
		return httpStatus;
	}

}
