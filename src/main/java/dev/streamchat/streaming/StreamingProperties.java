package dev.streamchat.streaming;

import java.time.Duration;
import java.util.random.RandomGenerator;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How replies are generated and stored; see application.properties for each key.
 *
 * @param flushInterval longest time streamed text waits in memory before it is appended
 * to storage, while the reply is shorter than {@code flushLongAfter}
 * @param flushChars pending characters that trigger an append before the interval is up
 * @param flushIntervalLong the same once the reply has {@code flushLongAfter} characters
 * stored: fewer, larger batches, each a row with a fixed cost on disk
 * @param flushLongAfter stored characters of a reply from which {@code flushIntervalLong}
 * applies
 * @param maxPromptChars longest prompt accepted
 * @param shutdownGrace how long shutting down waits for replies to be stored as
 * interrupted (or handed over)
 * @param drainTimeout on shutdown, how long replies streaming on this node get to finish
 * before they are handed over to another node (or, with none, stored as interrupted)
 * @param retry how failures before the first token are retried
 * @param maxContextTokens the most of a conversation sent with a prompt, in tokens
 * (estimated: 4 bytes of UTF-8 each); beyond it the oldest exchanges are left out, and
 * the answer says so. At most the model's context window; lower caps what a prompt of a
 * long conversation costs (Per-user limits on rate, streams and tokens are chat.budget.*,
 * the budget module's.)
 */
@ConfigurationProperties("chat.streaming")
public record StreamingProperties(@DefaultValue("50ms") Duration flushInterval, @DefaultValue("4000") int flushChars,
		@DefaultValue("32000") int maxPromptChars, @DefaultValue("5s") Duration shutdownGrace,
		@DefaultValue Retry retry, @DefaultValue("200000") int maxContextTokens,
		@DefaultValue("120s") Duration drainTimeout, @DefaultValue("250ms") Duration flushIntervalLong,
		@DefaultValue("4000") int flushLongAfter) {

	/**
	 * The same settings with other storage batching, one interval whatever the reply's
	 * length (used to compare batching on and off).
	 */
	public StreamingProperties withFlush(Duration interval, int chars) {
		return new StreamingProperties(interval, chars, maxPromptChars, shutdownGrace, retry, maxContextTokens,
				drainTimeout, interval, flushLongAfter);
	}

	/**
	 * Retrying a request that failed before any text arrived (429, 5xx, 408, connection
	 * failures). Text that has reached the user is never re-requested behind their back.
	 *
	 * @param maxAttempts attempts in all, the first included
	 * @param initialBackoff wait before the second attempt; doubles for each further one
	 * @param maxBackoff longest wait between two attempts
	 * @param jitter random spread of each wait, as a fraction (0.2 = ±20 %)
	 * @param deadline no attempt starts later than this after the prompt was sent
	 */
	public record Retry(@DefaultValue("4") int maxAttempts, @DefaultValue("1s") Duration initialBackoff,
			@DefaultValue("20s") Duration maxBackoff, @DefaultValue("0.2") double jitter,
			@DefaultValue("60s") Duration deadline) {

		/**
		 * The wait before attempt {@code next} (2 for the first retry), unless the server
		 * said otherwise.
		 */
		public Duration backoff(int next, RandomGenerator random) {
			double base = initialBackoff.toMillis() * Math.pow(2, Math.max(0, next - 2));
			double capped = Math.min(base, maxBackoff.toMillis());
			double spread = capped * jitter * (2 * random.nextDouble() - 1);
			return Duration.ofMillis(Math.max(0, Math.round(capped + spread)));
		}
	}
}
