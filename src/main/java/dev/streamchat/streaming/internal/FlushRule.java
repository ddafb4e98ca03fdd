package dev.streamchat.streaming.internal;

import java.time.Duration;

import dev.streamchat.streaming.StreamingProperties;

/**
 * When a reply's pending text is due for storage: once {@code maxChars} are pending, or
 * once the oldest pending character has waited the age limit, which is {@code maxAge}
 * while the reply is short and {@code longMaxAge} once {@code longAfter} characters of it
 * are stored.
 * <p>
 * Why it grows: every batch is a row with a fixed cost on disk (a B-tree leaf rewritten
 * on H2, a WAL record with tuple header on PostgreSQL), so small batches cost several
 * times the text (issue 15: 250-char batches 7.9 bytes written per answer byte, 2
 * 500-char ones 2.4). A slow model fills only a few hundred characters in 50 ms; the
 * longer limit makes its batches 5× larger where that cost adds up, while a short answer,
 * and the start of every answer, are stored as promptly as before. The limit is what a
 * kill -9 may lose of the text since the last batch (the screen never waits for either).
 *
 * @param maxAge the age limit while fewer than {@code longAfter} characters are stored
 * @param longMaxAge the age limit from then on
 * @param longAfter stored characters from which {@code longMaxAge} applies
 * @param maxChars pending characters that make a batch due whatever their age
 */
record FlushRule(Duration maxAge, Duration longMaxAge, int longAfter, int maxChars) {

	FlushRule {
		maxChars = Math.max(1, maxChars);
	}

	/** One age limit whatever the reply's length. */
	static FlushRule fixed(Duration maxAge, int maxChars) {
		return new FlushRule(maxAge, maxAge, Integer.MAX_VALUE, maxChars);
	}

	static FlushRule of(StreamingProperties properties) {
		return new FlushRule(properties.flushInterval(), properties.flushIntervalLong(), properties.flushLongAfter(),
				properties.flushChars());
	}

	/** The age limit of a batch that starts at {@code offset} of the reply. */
	Duration maxAgeAt(int offset) {
		return offset >= longAfter ? longMaxAge : maxAge;
	}

	/**
	 * How long until {@code pending} characters, starting at {@code offset} and the
	 * oldest of them taken at {@code oldestNanos}, are due at {@code nowNanos}
	 * ({@link System#nanoTime()} values); zero or less: due now.
	 */
	long dueInNanos(int offset, int pending, long oldestNanos, long nowNanos) {
		if (pending >= maxChars) {
			return 0;
		}
		return oldestNanos + maxAgeAt(offset).toNanos() - nowNanos;
	}

}
