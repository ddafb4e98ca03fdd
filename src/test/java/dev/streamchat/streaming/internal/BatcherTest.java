package dev.streamchat.streaming.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BatcherTest {

	record Write(int offset, String text) {
	}

	final List<Write> writes = new CopyOnWriteArrayList<>();

	String stored() {
		StringBuilder text = new StringBuilder();
		for (Write write : writes) {
			assertThat(write.offset()).as("batches are contiguous").isEqualTo(text.length());
			text.append(write.text());
		}
		return text.toString();
	}

	@Test
	void pendingTextIsStoredByTheTimerWithoutWaitingForMoreChunks() {
		Batcher batcher = new Batcher("t", (o, t) -> writes.add(new Write(o, t)), Duration.ofMillis(50), 100);

		batcher.offer("Hel");
		batcher.offer("lo");

		// no further chunk arrives: the interval alone must get it stored
		await().atMost(Duration.ofSeconds(2)).until(() -> stored().equals("Hello"));
		assertThat(writes).hasSize(1);
		assertThat(batcher.close(Duration.ofSeconds(1))).isTrue();
	}

	@Test
	void aLongReplysTextWaitsPastTheShortLimitUntilTheLongOne() {
		AtomicLong now = new AtomicLong();
		AtomicInteger clockReads = new AtomicInteger();
		FlushRule rule = new FlushRule(Duration.ofMillis(50), Duration.ofMillis(250), 4_000, 4_000);
		// a reply taken up again after 5 000 stored characters: past the long threshold
		Batcher batcher = new Batcher("t", (o, t) -> writes.add(new Write(o - 5_000, t)), rule, 5_000, () -> {
			clockReads.incrementAndGet();
			return now.get();
		});

		batcher.offer("late text");
		now.set(Duration.ofMillis(100).toNanos());
		// the writer looks at the clock again and again (once for the chunk, then each
		// time its wait ends) without taking the batch: at 100 ms it is not due. Taking
		// it would read the clock once more and then wait for the next chunk.
		await().atMost(Duration.ofSeconds(5)).until(() -> clockReads.get() >= 4);
		assertThat(writes).isEmpty();

		now.set(Duration.ofMillis(250).toNanos());
		await().atMost(Duration.ofSeconds(2)).until(() -> stored().equals("late text"));
		assertThat(batcher.close(Duration.ofSeconds(1))).isTrue();
	}

	@Test
	void fullBatchesGoOutBeforeTheIntervalAndTheRestAtClose() {
		Batcher batcher = new Batcher("t", (o, t) -> writes.add(new Write(o, t)), Duration.ofHours(1), 10);

		batcher.offer("0123456789abc");
		await().atMost(Duration.ofSeconds(2)).until(() -> !writes.isEmpty());
		batcher.offer("de");

		assertThat(batcher.close(Duration.ofSeconds(1))).isTrue();
		assertThat(stored()).isEqualTo("0123456789abcde");
		assertThat(writes).hasSize(2);
	}

	@Test
	void manySmallChunksBecomeFewWrites() {
		Batcher batcher = new Batcher("t", (o, t) -> writes.add(new Write(o, t)), Duration.ofMillis(50), 100);
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < 2_000; i++) {
			String chunk = "t" + (i % 10);
			expected.append(chunk);
			batcher.offer(chunk);
		}

		assertThat(batcher.close(Duration.ofSeconds(5))).isTrue();
		assertThat(stored()).isEqualTo(expected.toString());
		assertThat(writes.size()).isLessThanOrEqualTo(4_000 / 100 + 1);
	}

	@Test
	void aFailedWriteIsRetriedAtTheSameOffsetWhileLaterTextWaits() {
		AtomicInteger failuresLeft = new AtomicInteger(2);
		Batcher batcher = new Batcher("t", (o, t) -> {
			if (failuresLeft.getAndDecrement() > 0) {
				throw new IllegalStateException("connection lost");
			}
			writes.add(new Write(o, t));
		}, Duration.ofMillis(10), 100);

		batcher.offer("first ");
		await().atMost(Duration.ofSeconds(5)).until(() -> !writes.isEmpty());
		batcher.offer("second");

		assertThat(batcher.close(Duration.ofSeconds(5))).isTrue();
		assertThat(stored()).isEqualTo("first second");
		assertThat(writes.getFirst()).isEqualTo(new Write(0, "first "));
	}

	@Test
	void aStorageThatNeverRecoversIsGivenUpOnAtClose() {
		Batcher batcher = new Batcher("t", (o, t) -> {
			throw new IllegalStateException("database down");
		}, Duration.ofMillis(10), 100);
		batcher.offer("lost for now");

		assertThat(batcher.close(Duration.ofSeconds(10))).isFalse();
	}

	@Test
	void aBatchNeverEndsBetweenTheHalvesOfASurrogatePair() {
		Batcher batcher = new Batcher("t", (o, t) -> writes.add(new Write(o, t)), Duration.ofMillis(5), 3);
		String rocket = "🚀";

		batcher.offer("ab" + rocket.charAt(0));
		batcher.offer(rocket.charAt(1) + "cd");

		assertThat(batcher.close(Duration.ofSeconds(1))).isTrue();
		assertThat(stored()).isEqualTo("ab🚀cd");
		assertThat(writes).allSatisfy(w -> {
			assertThat(Character.isHighSurrogate(w.text().charAt(w.text().length() - 1))).isFalse();
			assertThat(Character.isLowSurrogate(w.text().charAt(0))).isFalse();
		});
	}

}
