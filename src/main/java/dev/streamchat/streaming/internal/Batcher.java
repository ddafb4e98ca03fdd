package dev.streamchat.streaming.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects a reply's streamed text and appends it to storage in batches, on its own
 * thread: when its {@link FlushRule} says so (enough characters pending, or the oldest
 * pending one old enough: a timer, not the next chunk), and always at the end. The
 * reading thread only appends to a buffer, so neither the model nor the screen ever waits
 * for the database.
 * <p>
 * A failed append is retried with backoff, the same batch at the same offset (storage
 * ignores a batch it already has), while later text keeps collecting; so a database
 * hiccup delays storage but loses nothing.
 */
final class Batcher {

	/**
	 * Where batches go: one call per batch, {@code offset} in UTF-16 units from the
	 * reply's start.
	 */
	@FunctionalInterface
	interface Sink {

		void append(int offset, String text);

	}

	private static final Logger log = LoggerFactory.getLogger(Batcher.class);

	private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);

	/**
	 * Attempts per batch once closing: after that the final write of the whole text takes
	 * over.
	 */
	private static final int ATTEMPTS_WHEN_CLOSING = 3;

	private final Sink sink;

	private final FlushRule rule;

	/** {@link System#nanoTime()}, or a test's clock. */
	private final LongSupplier nanoClock;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition wake = lock.newCondition();

	private final StringBuilder pending = new StringBuilder();

	private final Thread writer;

	private int pendingOffset;

	private long oldestNanos;

	private boolean closing;

	private volatile int writes;

	private volatile boolean complete = true;

	Batcher(String name, Sink sink, Duration maxAge, int maxChars) {
		this(name, sink, FlushRule.fixed(maxAge, maxChars), 0, System::nanoTime);
	}

	/**
	 * @param startOffset where the text offered goes on (a reply taken up again continues
	 * its stored text)
	 */
	Batcher(String name, Sink sink, FlushRule rule, int startOffset) {
		this(name, sink, rule, startOffset, System::nanoTime);
	}

	Batcher(String name, Sink sink, FlushRule rule, int startOffset, LongSupplier nanoClock) {
		this.pendingOffset = startOffset;
		this.sink = sink;
		this.rule = rule;
		this.nanoClock = nanoClock;
		this.writer = Thread.ofVirtual().name("batcher-" + name).start(this::writeLoop);
	}

	/** Queues text; never blocks on storage. */
	void offer(String text) {
		lock.lock();
		try {
			boolean writerIdle = pending.isEmpty() || Character.isHighSurrogate(pending.charAt(pending.length() - 1));
			if (pending.isEmpty()) {
				oldestNanos = nanoClock.getAsLong();
			}
			pending.append(text);
			if (writerIdle || pending.length() >= rule.maxChars()) {
				wake.signal();
			}
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Appends whatever is pending and stops the writer.
	 * @return true when every offered character reached storage
	 */
	boolean close(Duration timeout) {
		lock.lock();
		try {
			closing = true;
			wake.signal();
		}
		finally {
			lock.unlock();
		}
		try {
			if (!writer.join(timeout)) {
				writer.interrupt();
				return false;
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
		return complete;
	}

	/** Batches appended so far. */
	int writes() {
		return writes;
	}

	private void writeLoop() {
		try {
			Batch batch;
			while ((batch = nextBatch()) != null) {
				write(batch.offset(), batch.text());
			}
		}
		catch (InterruptedException e) {
			complete = false;
		}
	}

	/** Waits until a batch is due and takes it; null once closed and drained. */
	private @Nullable Batch nextBatch() throws InterruptedException {
		lock.lock();
		try {
			while (true) {
				int take = pending.length();
				// never end a batch between the halves of a surrogate pair: some
				// databases (PostgreSQL) cannot store half a character
				if (take > 0 && !closing && Character.isHighSurrogate(pending.charAt(take - 1))) {
					take--;
				}
				if (take == 0) {
					if (closing && pending.isEmpty()) {
						return null;
					}
					wake.await();
					continue;
				}
				long wait = rule.dueInNanos(pendingOffset, take, oldestNanos, nanoClock.getAsLong());
				if (closing || wait <= 0) {
					Batch batch = new Batch(pendingOffset, pending.substring(0, take));
					pending.delete(0, take);
					pendingOffset += take;
					oldestNanos = nanoClock.getAsLong();
					return batch;
				}
				wake.awaitNanos(wait);
			}
		}
		finally {
			lock.unlock();
		}
	}

	private record Batch(int offset, String text) {
	}

	private void write(int offset, String batch) throws InterruptedException {
		long backoff = TimeUnit.MILLISECONDS.toNanos(50);
		for (int attempt = 1;; attempt++) {
			try {
				sink.append(offset, batch);
				writes++;
				return;
			}
			catch (RuntimeException e) {
				boolean giveUp = isClosing() && attempt >= ATTEMPTS_WHEN_CLOSING;
				log.warn("Storing {} chars at offset {} failed (attempt {}){}: {}", batch.length(), offset, attempt,
						giveUp ? ", leaving it to the final write" : ", retrying", e.toString());
				if (giveUp) {
					complete = false;
					return;
				}
				TimeUnit.NANOSECONDS.sleep(backoff);
				backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
			}
		}
	}

	private boolean isClosing() {
		lock.lock();
		try {
			return closing;
		}
		finally {
			lock.unlock();
		}
	}

}
