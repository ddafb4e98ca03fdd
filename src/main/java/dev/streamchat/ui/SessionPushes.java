package dev.streamchat.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.vaadin.flow.server.VaadinSession;
import io.micrometer.core.instrument.Timer;

/**
 * Pushes the waiting updates of every tab of one session with one turn of the session
 * lock per frame. All tabs of a session share its lock, so a push per tab queued each tab
 * behind the others (issue 17: one user's 5 tabs × 5 streams pushed with 5 lock turns per
 * frame, p99 822–917 ms at 25 streams); one turn that runs every tab's updates lets
 * Vaadin push all of them as it unlocks.
 *
 * <p>
 * A push runs in two steps on its own (virtual) thread: first each update's preparation,
 * without any lock (database reads, rendering), then the prepared changes under the lock,
 * which therefore holds only component changes and Vaadin's own serialisation. The first
 * update after a quiet spell goes out at once; later ones wait for the next frame and
 * share it.
 */
final class SessionPushes {

	private final VaadinSession session;

	private final Executor pushExecutor;

	private final ScheduledExecutorService timer;

	private final long frameNanos;

	private final Timer lockHeld;

	/**
	 * Tabs with updates waiting; each tab is in here at most once (see
	 * {@link UiUpdates#claim()}).
	 */
	private final Queue<UiUpdates> waiting = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private volatile long lastPushNanos = System.nanoTime() - Long.MAX_VALUE / 4;

	private SessionPushes(VaadinSession session, Executor pushExecutor, ScheduledExecutorService timer, long frameNanos,
			Timer lockHeld) {
		this.session = session;
		this.pushExecutor = pushExecutor;
		this.timer = timer;
		this.frameNanos = frameNanos;
		this.lockHeld = lockHeld;
	}

	/** The one instance of a session (created on first use, under the session's lock). */
	static SessionPushes of(VaadinSession session, UiExecutors executors, UiProperties properties) {
		SessionPushes pushes = session.getAttribute(SessionPushes.class);
		if (pushes == null) {
			pushes = new SessionPushes(session, executors.push(), executors.timer(),
					properties.frameInterval().toNanos(), executors.lockHeld());
			session.setAttribute(SessionPushes.class, pushes);
		}
		return pushes;
	}

	/**
	 * {@code tab} has updates waiting: push them with the session's next push. Any
	 * thread.
	 */
	void request(UiUpdates tab) {
		waiting.add(tab);
		if (scheduled.compareAndSet(false, true)) {
			schedule();
		}
	}

	private void schedule() {
		long wait = lastPushNanos + frameNanos - System.nanoTime();
		if (wait <= 0) {
			pushExecutor.execute(this::push);
		}
		else {
			timer.schedule(() -> pushExecutor.execute(this::push), wait, TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Takes the session lock itself rather than queueing the changes for whichever thread
	 * holds it: changes another tab's request thread ran were sometimes not pushed until
	 * the browser next sent something (vaadin/flow#20837; seen in
	 * AnswerActionsBrowserTest about every other run). One push at a time per session, so
	 * a tab's updates reach it in the order they came.
	 */
	private void push() {
		lastPushNanos = System.nanoTime();
		try {
			List<UiUpdates.Prepared> prepared = new ArrayList<>();
			UiUpdates tab;
			while ((tab = waiting.poll()) != null) {
				prepared.add(tab.prepare());
			}
			if (prepared.isEmpty()) {
				return;
			}
			session.lock();
			long locked = System.nanoTime();
			try {
				prepared.forEach(UiUpdates.Prepared::apply);
			}
			finally {
				session.unlock(); // pushes every tab of the session whose UI changed
				lockHeld.record(System.nanoTime() - locked, TimeUnit.NANOSECONDS);
			}
		}
		finally {
			scheduled.set(false);
			// an update that came while this push ran found it scheduled: it goes with
			// the next one
			if (!waiting.isEmpty() && scheduled.compareAndSet(false, true)) {
				schedule();
			}
		}
	}

}
