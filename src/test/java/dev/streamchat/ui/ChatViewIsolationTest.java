package dev.streamchat.ui;

import java.util.List;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.UI;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestUsers;
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
	ConversationStore paneStore;

	@Autowired
	ChatPaneContext context;

	@Autowired
	ColorSchemes colorSchemes;

	@BeforeAll
	static void createCarol(@Autowired UserAccounts accounts) {
		if (accounts.find(CAROL).isEmpty()) {
			accounts.create(CAROL, "carol-secret-password");
		}
	}

	@Test
	void theViewShowsOnlyTheSignedInUsersPanes(@Autowired UserAccounts accounts) {
		UserId alice = accounts.find(TestUsers.ALICE).orElseThrow();
		Conversation alicesPane = paneStore.create(alice, "gemini-2.5-flash");

		UserId carol = accounts.find(CAROL).orElseThrow();
		Conversation carolsPane = paneStore.create(carol, "gemini-2.5-flash");

		// a view built now, from storage (navigating to the route shown keeps the view it
		// has)
		navigate(ChatView.class);
		find(ChatView.class).all().forEach(view -> view.getElement().removeFromParent());
		UI.getCurrent().add(new ChatView(context, colorSchemes));

		List<ConversationId> shown = find(ChatPane.class).all().stream().map(ChatPane::paneId).toList();
		assertThat(shown).contains(carolsPane.id()).doesNotContain(alicesPane.id());
		// not one of them is alice's (asked by id, not through the list query the view
		// uses)
		assertThat(shown).allSatisfy(id -> assertThat(paneStore.conversation(alice, id)).isEmpty());
	}

}
