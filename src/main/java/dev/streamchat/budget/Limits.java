package dev.streamchat.budget;

import org.jspecify.annotations.Nullable;

/** One user's limits in force (0: no limit). */
public record Limits(long dailyTokens, long monthlyTokens, int concurrentStreams, int promptsPerMinute) {

	/** These limits with the set values of {@code overrides} in place of their own. */
	public Limits with(Overrides overrides) {
		return new Limits(overrides.dailyTokens() != null ? overrides.dailyTokens() : dailyTokens,
				overrides.monthlyTokens() != null ? overrides.monthlyTokens() : monthlyTokens,
				overrides.concurrentStreams() != null ? overrides.concurrentStreams() : concurrentStreams,
				overrides.promptsPerMinute() != null ? overrides.promptsPerMinute() : promptsPerMinute);
	}

	/**
	 * An admin's per-user values; a null one leaves the default (chat.budget.*) in force.
	 */
	public record Overrides(@Nullable Long dailyTokens, @Nullable Long monthlyTokens,
			@Nullable Integer concurrentStreams, @Nullable Integer promptsPerMinute) {

		public static final Overrides NONE = new Overrides(null, null, null, null);

		public Overrides {
			if ((dailyTokens != null && dailyTokens < 0) || (monthlyTokens != null && monthlyTokens < 0)
					|| (concurrentStreams != null && concurrentStreams < 0)
					|| (promptsPerMinute != null && promptsPerMinute < 0)) {
				throw new IllegalArgumentException("a limit is 0 (none) or more");
			}
		}
	}
}
