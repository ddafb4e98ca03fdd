package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import dev.streamchat.security.UserId;
import dev.streamchat.streaming.PromptRejectedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserLimitsTest {

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MovableClock clock = new MovableClock();
    final UserId alice = new UserId(1);
    final UserId bob = new UserId(2);

    @Test
    void promptsPerMinuteArePerUserAndTheMessageSaysWhenToTryAgain() {
        UserLimits limits = new UserLimits(4, 3, clock);
        limits.admit(alice);
        limits.admit(alice);
        clock.now = clock.now.plusSeconds(20);
        limits.admit(alice);

        assertThatThrownBy(() -> limits.admit(alice)).isInstanceOf(PromptRejectedException.class)
                .hasMessage("Too many messages: at most 3 a minute. Try again in 40 s.");
        limits.admit(bob);

        clock.now = clock.now.plus(Duration.ofSeconds(41));
        limits.admit(alice);
    }

    @Test
    void concurrentStreamsAreCappedPerUserAndFreedWhenTheyEnd() {
        UserLimits limits = new UserLimits(2, 100, clock);

        assertThat(limits.startStream(alice)).isTrue();
        assertThat(limits.startStream(alice)).isTrue();
        assertThat(limits.startStream(alice)).isFalse();
        assertThat(limits.startStream(bob)).isTrue();

        limits.endStream(alice);
        assertThat(limits.startStream(alice)).isTrue();
    }
}
