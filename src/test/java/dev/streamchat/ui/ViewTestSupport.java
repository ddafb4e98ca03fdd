package dev.streamchat.ui;

import java.time.Duration;
import java.util.concurrent.Callable;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.browserless.internal.MockVaadin;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

import static org.awaitility.Awaitility.await;

/** The views as alice drives them without a browser (subclasses sign her in with {@code @WithMockUser}). */
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

    /** Background pushes only queue while the test holds the session; run them while waiting. */
    void awaitUi(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(15)).pollInSameThread().pollInterval(Duration.ofMillis(10)).until(() -> {
            MockVaadin.runUIQueue();
            return condition.call();
        });
    }
}
