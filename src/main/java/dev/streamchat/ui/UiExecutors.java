package dev.streamchat.ui;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

/** Threads for pushing to browsers: one per push (virtual), and one timer to wait for the next frame. */
@Component
class UiExecutors {

    private final ExecutorService push = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ui-frame-timer").daemon().factory());

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
