package dev.streamchat.ui;

import dev.streamchat.chat.Panes;
import dev.streamchat.chat.Pane;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestUsers;
import com.vaadin.browserless.SpringBrowserlessTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;

import static org.assertj.core.api.Assertions.assertThat;

/** Signed in as carol, the chat view shows carol's panes and none of alice's. */
@AppTest
@WithMockUser(username = "carol")
class ChatViewIsolationTest extends SpringBrowserlessTest {

    static final String CAROL = "carol";

    @Autowired
    Panes paneStore;

    @BeforeAll
    static void createCarol(@Autowired UserAccounts accounts) {
        if (accounts.find(CAROL).isEmpty()) {
            accounts.create(CAROL, "carol-secret-password");
        }
    }

    @Test
    void theViewShowsOnlyTheSignedInUsersPanes(@Autowired UserAccounts accounts) {
        UserId alice = accounts.find(TestUsers.ALICE).orElseThrow();
        Pane alicesPane = paneStore.createPane(alice, "gemini-2.5-flash");

        navigate(ChatView.class);

        UserId carol = accounts.find(CAROL).orElseThrow();
        assertThat(find(ChatPane.class).all()).extracting(ChatPane::paneId)
                .doesNotContain(alicesPane.id())
                .containsExactlyElementsOf(paneStore.openPanes(carol).stream().map(Pane::id).toList());
    }
}
