package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.streamchat.security.UserId;
import dev.streamchat.streaming.PromptRejectedException;

/** Per-user fairness: how many replies stream at once, and how many prompts a minute. */
public final class UserLimits {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int maxConcurrent;
    private final int maxPerMinute;
    private final Clock clock;
    private final Map<UserId, Integer> streaming = new ConcurrentHashMap<>();
    private final Map<UserId, Deque<Instant>> recent = new ConcurrentHashMap<>();

    public UserLimits(int maxConcurrent, int maxPerMinute, Clock clock) {
        this.maxConcurrent = maxConcurrent;
        this.maxPerMinute = maxPerMinute;
        this.clock = clock;
    }

    /** Counts a prompt against the user's rate, or refuses it with the time to wait. */
    public void admit(UserId user) {
        Instant now = clock.instant();
        Deque<Instant> times = recent.computeIfAbsent(user, u -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(WINDOW))) {
                times.pollFirst();
            }
            if (times.size() >= maxPerMinute) {
                long wait = Math.max(1, Duration.between(now, times.peekFirst().plus(WINDOW)).toSeconds());
                throw new PromptRejectedException("Too many messages: at most %d a minute. Try again in %d s."
                        .formatted(maxPerMinute, wait));
            }
            times.addLast(now);
        }
    }

    public boolean startStream(UserId user) {
        boolean[] admitted = {false};
        streaming.compute(user, (u, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxConcurrent) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    public void endStream(UserId user) {
        streaming.computeIfPresent(user, (u, count) -> count <= 1 ? null : count - 1);
    }
}
