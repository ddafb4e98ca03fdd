package dev.streamchat.streaming.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adaptive batch of issue 15: a short reply's text is stored within 50 ms, a long
 * one's within 250 ms, and 4 000 pending characters are stored at once. Times are
 * {@link System#nanoTime()}-like values given by the test: no clock, no sleeps.
 */
class FlushRuleTest {

	static final long MS = 1_000_000;

	final FlushRule rule = new FlushRule(Duration.ofMillis(50), Duration.ofMillis(250), 4_000, 4_000);

	@Test
	void theStartOfAReplyIsDueAfterTheShortLimit() {
		// the oldest pending character taken at t = 1 000 ms, 300 characters pending
		assertThat(rule.dueInNanos(0, 300, 1_000 * MS, 1_049 * MS)).isEqualTo(MS);
		assertThat(rule.dueInNanos(0, 300, 1_000 * MS, 1_050 * MS)).isZero();
		assertThat(rule.dueInNanos(3_999, 300, 1_000 * MS, 1_050 * MS)).isLessThanOrEqualTo(0);
	}

	@Test
	void onceTheReplyIsLongItsBatchesWaitTheLongLimit() {
		assertThat(rule.dueInNanos(4_000, 300, 1_000 * MS, 1_050 * MS)).isEqualTo(200 * MS);
		assertThat(rule.dueInNanos(4_000, 300, 1_000 * MS, 1_249 * MS)).isEqualTo(MS);
		assertThat(rule.dueInNanos(150_000, 300, 1_000 * MS, 1_250 * MS)).isZero();
	}

	@Test
	void aFullBatchIsDueAtOnceHoweverLongTheReply() {
		assertThat(rule.dueInNanos(0, 4_000, 1_000 * MS, 1_000 * MS)).isZero();
		assertThat(rule.dueInNanos(100_000, 4_001, 1_000 * MS, 1_000 * MS)).isZero();
	}

	@Test
	void aFixedRuleNeverGrows() {
		FlushRule fixed = FlushRule.fixed(Duration.ofMillis(50), 100);

		assertThat(fixed.dueInNanos(Integer.MAX_VALUE - 1, 10, 0, 50 * MS)).isZero();
		assertThat(fixed.maxAgeAt(1_000_000)).isEqualTo(Duration.ofMillis(50));
	}

}
