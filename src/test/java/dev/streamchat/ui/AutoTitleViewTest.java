package dev.streamchat.ui;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextArea;
import dev.streamchat.history.ConversationEvent;
import dev.streamchat.history.ConversationEvents;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini.RecordedRequest;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Titles the model suggests after a conversation's first answer. The only tests with
 * model titles on (a Spring context of their own): every other test scripts the fake
 * Gemini for the chat alone.
 */
@AppTest
@TestPropertySource(properties = "chat.history.model-titles=true")
@WithMockUser(username = TestUsers.ALICE)
class AutoTitleViewTest extends ViewTestSupport {

	static final String TITLE_REQUEST = "Give a 3–6 word title";

	@Autowired
	ConversationEvents conversationEvents;

	ChatPane newChat() {
		navigate(ChatView.class);
		test(find(Button.class).id("new-chat")).click();
		return find(ChatPane.class).last();
	}

	void send(ChatPane pane, String prompt) {
		test(find(TextArea.class, pane).withClassName("prompt").single()).setValue(prompt);
		test(find(Button.class, pane).withClassName("send").single()).click();
	}

	String paneTitle(ChatPane pane) {
		return find(Span.class, pane).withClassName("pane-title").single().getText();
	}

	String listedTitle(ChatPane pane) {
		return find(Div.class).withClassName("history-entry")
			.all()
			.stream()
			.filter(e -> pane.paneId().toString().equals(e.getElement().getAttribute("data-pane-id")))
			.map(e -> find(NativeButton.class, e).withClassName("history-open").single().getText())
			.findFirst()
			.orElse("");
	}

	@Test
	void theModelsTitleTidiedShowsInTheListAndThePaneAfterTheFirstAnswer() {
		List<ConversationEvent> activity = new CopyOnWriteArrayList<>();
		ConversationEvents.Subscription subscription = conversationEvents.subscribe(alice(), e -> {
			if (e.change() == ConversationEvent.Change.ACTIVITY) {
				activity.add(e);
			}
		});
		try {
			titleOnceFromTheFirstAnswer(activity);
		}
		finally {
			subscription.close();
		}
	}

	void titleOnceFromTheFirstAnswer(List<ConversationEvent> activity) {
		// scripted first: the title request quotes the prompt, so it would match the
		// chat's script too
		fake.when(TITLE_REQUEST, Reply.chunks("\"**Bike ", "Lock Codes**.\"\n"));
		fake.when("lock code", Reply.chunks("Your lock code is 4711."));
		ChatPane pane = newChat();

		send(pane, "what was my bike lock code again?");

		awaitUi(() -> paneTitle(pane).equals("Bike Lock Codes"));
		assertThat(listedTitle(pane)).isEqualTo("Bike Lock Codes");
		assertThat(fake.requests()).hasSize(2);
		RecordedRequest titleRequest = fake.requests().get(1);
		assertThat(titleRequest.lastUserText()).startsWith(TITLE_REQUEST)
			.contains("User: what was my bike lock code again?")
			.contains("Assistant: Your lock code is 4711.");
		assertThat(titleRequest.toolNames()).as("a title needs no tools").isEmpty();
		assertThat(titleRequest.contents()).hasSize(1);
		assertThat(titleRequest.model()).isEqualTo("gemini-2.5-flash");

		// the second answer leaves the title alone: once its end has been handled (the
		// list is told of the activity after the title was decided), no title was asked
		// for
		fake.when("and the other", Reply.chunks("That one is 1234."));
		send(pane, "and the other lock?");
		awaitUi(() -> activity.stream().filter(e -> e.conversationId().equals(pane.paneId())).count() == 2);
		assertThat(fake.requests()).hasSize(3);
		assertThat(fake.requests()).noneMatch(r -> r != titleRequest && r.lastUserText().startsWith(TITLE_REQUEST));
		assertThat(paneTitle(pane)).isEqualTo("Bike Lock Codes");
	}

	@Test
	void whenTheModelFailsToTitleThePromptsFirstWordsDo() {
		fake.when(TITLE_REQUEST, Reply.httpError(500, "INTERNAL", "title service down"));
		fake.when("sourdough", Reply.chunks("Feed it daily."));
		ChatPane pane = newChat();

		send(pane, "How should I look after a sourdough starter in summer?");

		awaitUi(() -> paneTitle(pane).equals("How should I look after a…"));
		assertThat(listedTitle(pane)).isEqualTo("How should I look after a…");
		assertThat(fake.requests()).extracting(RecordedRequest::lastUserText)
			.anyMatch(text -> text.startsWith(TITLE_REQUEST));
	}

}
