package dev.streamchat.budget;

import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every user's budget unless an admin overrides it for them (admin view); see
 * application.properties. A limit of 0 means no limit. Tokens are input + output +
 * thinking, of answers and of the app's own requests (titles) alike.
 *
 * @param dailyTokens tokens a user may spend per day (in {@code zone})
 * @param monthlyTokens tokens a user may spend per calendar month (in {@code zone})
 * @param concurrentStreams answers a user may have streaming at once, on all nodes
 * together
 * @param promptsPerMinute prompts (and retries, regenerations) a user may send per
 * minute, on all nodes together
 * @param zone where a day and a month begin and end
 */
@ConfigurationProperties("chat.budget")
public record BudgetProperties(@DefaultValue("1000000") long dailyTokens, @DefaultValue("20000000") long monthlyTokens,
		@DefaultValue("4") int concurrentStreams, @DefaultValue("20") int promptsPerMinute,
		@DefaultValue("UTC") ZoneId zone) {

	/** The defaults as limits. */
	public Limits limits() {
		return new Limits(dailyTokens, monthlyTokens, concurrentStreams, promptsPerMinute);
	}
}
