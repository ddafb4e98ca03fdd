package dev.streamchat.ui;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import io.micrometer.core.instrument.Timer;

/**
 * Coalesces background updates for one browser tab into at most one {@code UI.access} (one push)
 * per frame. The first update after a quiet spell goes out at once; updates arriving within a frame
 * of the last push wait for the next frame and share it. Pushes run on their own (virtual) threads,
 * so a slow browser delays only itself, never the model stream that produced the update.
 */
final class UiUpdates {

    private final UI ui;
    private final Executor pushExecutor;
    private final ScheduledExecutorService timer;
    private final long frameNanos;
    private final Timer latency;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long lastPushNanos = System.nanoTime() - Long.MAX_VALUE / 4;
    /** When the oldest update waiting for the next push was queued. */
    private volatile long oldestQueuedNanos;

    private UiUpdates(UI ui, Executor pushExecutor, ScheduledExecutorService timer, long frameNanos, Timer latency) {
        this.ui = ui;
        this.pushExecutor = pushExecutor;
        this.timer = timer;
        this.frameNanos = frameNanos;
        this.latency = latency;
    }

    /** The one instance of a UI (created on first use, under the UI's lock). */
    static UiUpdates of(UI ui, UiExecutors executors, UiProperties properties) {
        UiUpdates updates = ComponentUtil.getData(ui, UiUpdates.class);
        if (updates == null) {
            updates = new UiUpdates(ui, executors.push(), executors.timer(), properties.frameInterval().toNanos(),
                    executors.pushLatency());
            ComponentUtil.setData(ui, UiUpdates.class, updates);
        }
        return updates;
    }

    /** Queues {@code update} to run inside the UI's lock with the next push; callable from any thread. */
    void submit(Runnable update) {
        queue.add(update);
        if (scheduled.compareAndSet(false, true)) {
            oldestQueuedNanos = System.nanoTime();
            long wait = lastPushNanos + frameNanos - System.nanoTime();
            if (wait <= 0) {
                pushExecutor.execute(this::push);
            } else {
                timer.schedule(() -> pushExecutor.execute(this::push), wait, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Runs on its own thread, so it can wait for the session lock rather than queue the update for
     * whichever thread holds it: with several tabs in one session, an update another tab's thread
     * ran for this one was sometimes not pushed until the browser next sent something (seen in
     * AnswerActionsBrowserTest about every other run; vaadin/flow#20837 looks like the same).
     */
    private void push() {
        try {
            ui.accessSynchronously(this::drain);
        } catch (UIDetachedException closed) {
            queue.clear();
        }
    }

    private void drain() {
        lastPushNanos = System.nanoTime();
        latency.record(lastPushNanos - oldestQueuedNanos, TimeUnit.NANOSECONDS);
        // reset first: an update queued while draining schedules the next push instead of being lost
        scheduled.set(false);
        Runnable update;
        while ((update = queue.poll()) != null) {
            update.run();
        }
    }
}
