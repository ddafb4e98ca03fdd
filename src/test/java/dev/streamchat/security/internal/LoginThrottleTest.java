package dev.streamchat.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Backoff after failed sign-ins, on a clock the test moves. */
class LoginThrottleTest {

	Instant now = Instant.parse("2026-01-01T00:00:00Z");

	final Clock clock = new Clock() {
		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}
	};

	final LoginThrottle throttle = new LoginThrottle(3, Duration.ofSeconds(1), Duration.ofMinutes(15), clock);

	@Test
	void theFirstFailuresAreFreeThenEachWaitDoubles() {
		for (int i = 0; i < 2; i++) {
			throttle.failed("10.0.0.1");
			assertThat(throttle.waitFor("10.0.0.1")).isEmpty();
		}
		throttle.failed("10.0.0.1");
		assertThat(throttle.waitFor("10.0.0.1")).contains(Duration.ofSeconds(1));

		now = now.plusSeconds(1);
		throttle.failed("10.0.0.1");
		assertThat(throttle.waitFor("10.0.0.1")).contains(Duration.ofSeconds(2));
		now = now.plusSeconds(2);
		throttle.failed("10.0.0.1");
		assertThat(throttle.waitFor("10.0.0.1")).contains(Duration.ofSeconds(4));
		assertThat(throttle.waitFor("10.0.0.2")).as("other keys are not affected").isEmpty();
	}

	@Test
	void theWaitIsCappedAndForgottenAfterTheLongestWait() {
		for (int i = 0; i < 40; i++) {
			throttle.failed("Bob");
		}
		assertThat(throttle.waitFor("bob")).as("user names match regardless of case").contains(Duration.ofMinutes(15));

		now = now.plus(Duration.ofMinutes(15)).plusSeconds(1);
		throttle.failed("bob");
		assertThat(throttle.waitFor("bob")).as("a fresh start").isEmpty();
	}

	@Test
	void successClearsTheKey() {
		for (int i = 0; i < 3; i++) {
			throttle.failed("carol");
		}
		throttle.succeeded("carol");
		assertThat(throttle.waitFor("carol")).isEmpty();
	}

}
