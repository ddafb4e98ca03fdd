package dev.streamchat.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins per key (a user name, or a client address): after {@code freeFailures}
 * the key waits {@code baseDelay}, doubling with each further failure up to
 * {@code maxDelay}. A key whose last failure is older than {@code maxDelay} starts
 * afresh. Online guessing then costs hours per handful of tries, and a refused attempt
 * costs no BCrypt check.
 */
final class LoginThrottle {

	private record Failures(int count, Instant last) {
	}

	/**
	 * Keys kept at most; beyond that the stale ones go first, then all (the map must not
	 * grow unbounded).
	 */
	private static final int MAX_KEYS = 100_000;

	private final int freeFailures;

	private final Duration baseDelay;

	private final Duration maxDelay;

	private final Clock clock;

	private final Map<String, Failures> failures = new ConcurrentHashMap<>();

	LoginThrottle(int freeFailures, Duration baseDelay, Duration maxDelay, Clock clock) {
		this.freeFailures = freeFailures;
		this.baseDelay = baseDelay;
		this.maxDelay = maxDelay;
		this.clock = clock;
	}

	/**
	 * How long the key must still wait before it may try again; empty when it may try
	 * now.
	 */
	Optional<Duration> waitFor(String key) {
		Failures f = failures.get(normalise(key));
		if (f == null) {
			return Optional.empty();
		}
		Duration left = Duration.between(clock.instant(), f.last().plus(delayAfter(f.count())));
		return left.isPositive() ? Optional.of(left) : Optional.empty();
	}

	void failed(String key) {
		Instant now = clock.instant();
		if (failures.size() >= MAX_KEYS) {
			failures.values().removeIf(f -> f.last().plus(maxDelay).isBefore(now));
			if (failures.size() >= MAX_KEYS) {
				failures.clear();
			}
		}
		failures.compute(normalise(key), (k, f) -> f == null || f.last().plus(maxDelay).isBefore(now)
				? new Failures(1, now) : new Failures(f.count() + 1, now));
	}

	void succeeded(String key) {
		failures.remove(normalise(key));
	}

	private Duration delayAfter(int count) {
		if (count < freeFailures) {
			return Duration.ZERO;
		}
		int doublings = Math.min(count - freeFailures, 30);
		Duration delay = baseDelay.multipliedBy(1L << doublings);
		return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
	}

	private static String normalise(String key) {
		return key == null ? "" : key.strip().toLowerCase(Locale.ROOT);
	}

}
