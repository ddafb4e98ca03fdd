package dev.streamchat.ui;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

/**
 * Threads for pushing to browsers (one virtual thread per push, one timer to wait for the next
 * frame) and the meter of how long updates wait for their push.
 */
@Component
class UiExecutors {

    private final ExecutorService push = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ui-frame-timer").daemon().factory());
    private final Timer pushLatency;

    UiExecutors(MeterRegistry meters) {
        pushLatency = Timer.builder("chat.ui.push-latency")
                .description("From a token reaching the server to its push to a tab (the oldest update of each push)")
                .publishPercentileHistogram()
                .register(meters);
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
}
