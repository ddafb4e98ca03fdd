package dev.streamchat.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.browserless.internal.MockVaadin;
import com.vaadin.flow.server.VaadinSession;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.TestUsers;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

import static org.awaitility.Awaitility.await;

/**
 * The views as alice drives them without a browser (subclasses sign her in with
 * {@code @WithMockUser}).
 */
abstract class ViewTestSupport extends SpringBrowserlessTest {

	@Autowired
	FakeGemini fake;

	@Autowired
	UserAccounts accounts;

	/** For building a ChatView by hand, as a reload does. */
	@Autowired
	ColorSchemes colorSchemes;

	UserId alice() {
		return accounts.find(TestUsers.ALICE).orElseThrow();
	}

	@BeforeEach
	void resetFake() {
		fake.reset();
	}

	/**
	 * Waits for what background pushes show. The test thread holds the session lock
	 * throughout a browserless test, and pushes take that lock themselves
	 * (SessionPushes): waiting with the lock held let a push in only if it won the race
	 * for the moment runUIQueue released it, which a cold JVM lost (this test class alone
	 * failed; after others it passed). So the wait releases it.
	 */
	void awaitUi(Callable<Boolean> condition) {
		VaadinSession session = VaadinSession.getCurrent();
		ReentrantLock lock = (ReentrantLock) session.getLockInstance();
		int holds = lock.getHoldCount();
		for (int i = 0; i < holds; i++) {
			session.unlock();
		}
		try {
			awaitLocking(session, condition);
		}
		catch (ConditionTimeoutException e) {
			throw new AssertionError(
					e.getMessage() + "; threads (virtual ones included) at the timeout: " + dumpThreads(), e);
		}
		finally {
			for (int i = 0; i < holds; i++) {
				session.lock();
			}
		}
	}

	/**
	 * Every thread's stack, virtual threads included, to a file under target: the pushes
	 * run on virtual threads, which a plain stack trace of the test does not show.
	 */
	private static Path dumpThreads() {
		try {
			Path dump = Files.createTempFile(Files.createDirectories(Path.of("target", "thread-dumps")), "awaitUi-",
					".txt");
			Files.delete(dump);
			ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
				.dumpThreads(dump.toAbsolutePath().toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
			return dump;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static void awaitLocking(VaadinSession session, Callable<Boolean> condition) {
		await().atMost(Duration.ofSeconds(15)).pollInSameThread().pollInterval(Duration.ofMillis(10)).until(() -> {
			session.lock();
			try {
				MockVaadin.runUIQueue();
				return condition.call();
			}
			finally {
				session.unlock();
			}
		});
	}

}
