package dev.streamchat.ui;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

/**
 * Threads for pushing to browsers (one virtual thread per push, one timer to wait for the
 * next frame) and the meters of how long updates wait for their push and how long a push
 * holds its session's lock.
 */
@Component
class UiExecutors {

	private final ExecutorService push = Executors.newVirtualThreadPerTaskExecutor();

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ui-frame-timer").daemon().factory());

	private final Timer pushLatency;

	private final Timer lockHeld;

	UiExecutors(MeterRegistry meters) {
		pushLatency = Timer.builder("chat.ui.push-latency")
			.description("From a token reaching the server to its push to a tab (the oldest update of each push)")
			.publishPercentileHistogram()
			// fixed buckets every registry keeps (the simple one keeps no percentile
			// histogram)
			.serviceLevelObjectives(millis(1, 2, 4, 8, 16, 25, 33, 50, 75, 100, 150, 250, 500, 1000, 2000, 5000))
			.register(meters);
		lockHeld = Timer.builder("chat.ui.push-lock-held")
			.description("How long a push holds its session's lock (every tab of one user's session waits meanwhile)")
			.publishPercentileHistogram()
			// it should be microseconds: buckets from 10 µs, not the default 1 ms
			.serviceLevelObjectives(millis(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1000))
			.register(meters);
	}

	Timer lockHeld() {
		return lockHeld;
	}

	Timer pushLatency() {
		return pushLatency;
	}

	ExecutorService push() {
		return push;
	}

	ScheduledExecutorService timer() {
		return timer;
	}

	@PreDestroy
	void shutdown() {
		timer.shutdownNow();
		push.shutdownNow();
	}

	private static Duration[] millis(double... values) {
		return Arrays.stream(values).mapToObj(ms -> Duration.ofNanos((long) (ms * 1e6))).toArray(Duration[]::new);
	}

}
