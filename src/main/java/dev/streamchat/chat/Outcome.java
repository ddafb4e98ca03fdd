package dev.streamchat.chat;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a reply ended: written once, into the reply's own row.
 *
 * @param firstToken time from the request to the model's first token; null if none came
 */
public record Outcome(MessageStatus status, @Nullable String error, @Nullable String finishReason, Usage usage,
		@Nullable Duration firstToken) {

	public Outcome {
		if (!status.isFinal()) {
			throw new IllegalArgumentException("an outcome is final, not " + status);
		}
		usage = usage == null ? Usage.NONE : usage;
	}

	public Outcome(MessageStatus status, @Nullable String error, @Nullable String finishReason, Usage usage) {
		this(status, error, finishReason, usage, null);
	}
}
