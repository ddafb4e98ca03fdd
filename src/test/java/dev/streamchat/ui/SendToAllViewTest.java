package dev.streamchat.ui;

import java.time.Duration;
import java.util.List;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextArea;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.history.Conversations;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Ending;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Send to all panes": one prompt to every open pane, each answering with its own
 * settings, without a browser.
 */
@AppTest
@WithMockUser(username = TestUsers.ALICE)
class SendToAllViewTest extends ViewTestSupport {

	@Autowired
	Conversations conversations;

	@Autowired
	ChatPaneContext context;

	@Autowired
	ConversationStore paneStore;

	/**
	 * A view with exactly two fresh panes open (the database is shared with other tests):
	 * a reload after closing the others.
	 */
	List<ChatPane> twoPanes() {
		navigate(ChatView.class);
		paneStore.openConversations(alice()).forEach(p -> conversations.close(alice(), p.id()));
		find(ChatView.class).all().forEach(view -> view.getElement().removeFromParent());
		UI.getCurrent().add(new ChatView(context, colorSchemes));
		test(find(Button.class).id("add-pane")).click();
		List<ChatPane> panes = find(ChatPane.class).all();
		assertThat(panes).hasSize(2);
		return panes;
	}

	List<MessageRow> rows(ChatPane pane) {
		return find(MessageRow.class, pane).all();
	}

	void sendToAll(String text) {
		test(find(Button.class).id("send-all-toggle")).click();
		test(find(TextArea.class).id("send-all-prompt")).setValue(text);
		test(find(Button.class).id("send-all")).click();
	}

	@Test
	void onePromptGoesToEveryPaneEachWithItsOwnModelAndSettingsAndEachAnswerHasItsOwnStats() {
		List<ChatPane> panes = twoPanes();
		conversations.changeModel(alice(), panes.get(0).paneId(), "gemini-2.5-flash");
		conversations.changeModel(alice(), panes.get(1).paneId(), "gemini-2.5-pro");
		conversations.changeSettings(alice(), panes.get(1).paneId(), "Answer in French.", 0.2);
		fake.when("compare", Reply.chunks("Fast ", "answer.").every(Duration.ofMillis(20)))
			.when("compare",
					Reply.chunks("Une ", "réponse ", "plus ", "lente.")
						.after(Duration.ofMillis(150))
						.every(Duration.ofMillis(10)));

		sendToAll("compare these");

		for (ChatPane pane : panes) {
			awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());
			assertThat(ChatViewTest.html(rows(pane).getFirst())).contains("compare these");
			// time to first token, speed and tokens, per answer
			assertThat(find(Div.class, rows(pane).get(1)).withClassName("stats").single().getText())
				.contains("first token")
				.contains("tokens/s")
				.contains(" out");
		}
		assertThat(fake.requests()).hasSize(2);
		assertThat(fake.requests()).extracting(FakeGemini.RecordedRequest::model)
			.containsExactlyInAnyOrder("gemini-2.5-flash", "gemini-2.5-pro");
		FakeGemini.RecordedRequest french = fake.requests()
			.stream()
			.filter(r -> r.model().equals("gemini-2.5-pro"))
			.findFirst()
			.orElseThrow();
		assertThat(french.systemInstruction()).isEqualTo("Answer in French.");
		assertThat(french.temperature()).isEqualTo(0.2);
		assertThat(find(Span.class).withClassName("send-all-status").single().getText())
			.isEqualTo("Sent to all 2 panes.");

		// then each pane goes on by itself
		test(find(TextArea.class, panes.get(0)).withClassName("prompt").single()).setValue("only here");
		test(find(Button.class, panes.get(0)).withClassName("send").single()).click();
		awaitUi(() -> rows(panes.get(0)).size() == 4 && !rows(panes.get(0)).get(3).isStreaming());
		assertThat(rows(panes.get(1))).hasSize(2);
		assertThat(fake.requests()).hasSize(3);
	}

	@Test
	void aPaneThatIsStillAnsweringSaysSoWhileTheOthersGetThePrompt() {
		List<ChatPane> panes = twoPanes();
		fake.when("busy", Reply.chunks("Still ", "going").then(Ending.SILENCE));
		test(find(TextArea.class, panes.get(0)).withClassName("prompt").single()).setValue("busy now");
		test(find(Button.class, panes.get(0)).withClassName("send").single()).click();
		awaitUi(() -> rows(panes.get(0)).size() == 2 && rows(panes.get(0)).get(1).length() > 0);
		fake.when("both", Reply.chunks("Free pane answers."));

		sendToAll("both of you");

		awaitUi(() -> rows(panes.get(1)).size() == 2 && !rows(panes.get(1)).get(1).isStreaming());
		assertThat(rows(panes.get(0))).hasSize(2);
		Span refusal = find(Span.class, panes.get(0)).withClassName("prompt-error").single();
		assertThat(refusal.isVisible()).isTrue();
		assertThat(refusal.getText()).contains("still streaming");
		assertThat(find(Span.class).withClassName("send-all-status").single().getText()).contains("Sent to 1 of 2");
		test(find(Button.class, panes.get(0)).withClassName("send").single()).click(); // Stop
	}

}
