package dev.streamchat.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background updates waiting for one browser tab. Callable from any thread; its
 * session's {@link SessionPushes} runs them, at most once per frame, together with the
 * other tabs' of the same session, so a producer (the model's stream) never waits for a
 * browser or a lock.
 */
final class UiUpdates {

	private static final Logger log = LoggerFactory.getLogger(UiUpdates.class);

	private final UI ui;

	private final SessionPushes pushes;

	private final Timer latency;

	private final ConcurrentLinkedQueue<Supplier<Runnable>> queue = new ConcurrentLinkedQueue<>();

	/** Whether this tab is already among its session's waiting ones. */
	private final AtomicBoolean waiting = new AtomicBoolean();

	/** When the oldest update waiting for the next push was queued. */
	private volatile long oldestQueuedNanos;

	private UiUpdates(UI ui, SessionPushes pushes, Timer latency) {
		this.ui = ui;
		this.pushes = pushes;
		this.latency = latency;
	}

	/** The one instance of a UI (created on first use, under the UI's lock). */
	static UiUpdates of(UI ui, UiExecutors executors, UiProperties properties) {
		UiUpdates updates = ComponentUtil.getData(ui, UiUpdates.class);
		if (updates == null) {
			updates = new UiUpdates(ui, SessionPushes.of(ui.getSession(), executors, properties),
					executors.pushLatency());
			ComponentUtil.setData(ui, UiUpdates.class, updates);
		}
		return updates;
	}

	/** Queues {@code update} to run inside the session's lock with the next push. */
	void submit(Runnable update) {
		submitPrepared(() -> update);
	}

	/**
	 * Queues an update in two steps: {@code prepare} runs on the push thread without any
	 * lock, so it may read the database or render; the change it returns runs inside the
	 * session's lock.
	 */
	void submitPrepared(Supplier<Runnable> prepare) {
		queue.add(prepare);
		if (waiting.compareAndSet(false, true)) {
			oldestQueuedNanos = System.nanoTime();
			pushes.request(this);
		}
	}

	/**
	 * The waiting updates, prepared (no lock held); called by the session's push thread.
	 */
	Prepared prepare() {
		long oldest = oldestQueuedNanos;
		// reset first: an update queued from here on asks for the next push instead of
		// being lost
		waiting.set(false);
		List<Runnable> changes = new ArrayList<>();
		Supplier<Runnable> update;
		while ((update = queue.poll()) != null) {
			try {
				changes.add(update.get());
			}
			catch (RuntimeException e) {
				log.warn("Preparing an update for a browser tab failed", e);
			}
		}
		return new Prepared(changes, oldest);
	}

	/**
	 * One failing change must not keep the tab's others, or the other tabs', from their
	 * push.
	 */
	private static void run(Runnable change) {
		try {
			change.run();
		}
		catch (RuntimeException e) {
			log.warn("Updating a browser tab failed", e);
		}
	}

	/** Updates ready to apply to the tab, in the order they came. */
	final class Prepared {

		private final List<Runnable> changes;

		private final long oldestQueuedNanos;

		private Prepared(List<Runnable> changes, long oldestQueuedNanos) {
			this.changes = changes;
			this.oldestQueuedNanos = oldestQueuedNanos;
		}

		/** Applies the changes; the caller holds the session's lock. */
		void apply() {
			if (changes.isEmpty()) {
				return;
			}
			latency.record(System.nanoTime() - oldestQueuedNanos, TimeUnit.NANOSECONDS);
			try {
				// nested in the caller's lock: sets the UI as current, and fails if the
				// tab was closed
				ui.accessSynchronously(() -> changes.forEach(UiUpdates::run));
			}
			catch (UIDetachedException closed) {
				queue.clear();
			}
		}

	}

}
