package dev.streamchat.ui;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.TextArea;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Search the web" in a pane, and grounded answers with their citations and sources,
 * without a browser.
 */
@AppTest
@WithMockUser(username = TestUsers.ALICE)
class WebSearchViewTest extends ViewTestSupport {

	static final String FIRST = "Der Kölner Dom ist 157 m hoch. ";
	static final String SECOND = "Er wurde 1880 fertig.";
	static final String ENTRY_POINT = "<style>.chip{color:#1f1f1f}</style><div class=\"carousel\">"
			+ "<a class=\"chip\" href=\"https://www.google.com/search?q=K%C3%B6lner+Dom\">Kölner Dom Höhe</a></div>";

	@Autowired
	ConversationStore paneStore;

	@Autowired
	ChatPaneContext context;

	/**
	 * The pane as a reload shows it: a new view, built from storage, in place of the old
	 * one.
	 */
	ChatPane rebuilt(ChatPane pane) {
		UI ui = UI.getCurrent();
		find(ChatView.class).all().forEach(view -> view.getElement().removeFromParent());
		ui.add(new ChatView(context, colorSchemes));
		return find(ChatPane.class).all()
			.stream()
			.filter(p -> p.paneId().equals(pane.paneId()))
			.findFirst()
			.orElseThrow();
	}

	ChatPane newPane() {
		navigate(ChatView.class);
		test(find(Button.class).id("add-pane")).click();
		return find(ChatPane.class).last();
	}

	void send(ChatPane pane, String text) {
		test(find(TextArea.class, pane).withClassName("prompt").single()).setValue(text);
		test(find(Button.class, pane).withClassName("send").single()).click();
	}

	static Button toggle(ChatPane pane) {
		return pane.getChildren()
			.flatMap(c -> c.getChildren())
			.filter(WebSearchToggle.class::isInstance)
			.map(Button.class::cast)
			.findFirst()
			.orElseThrow();
	}

	List<MessageRow> rows(ChatPane pane) {
		return find(MessageRow.class, pane).all();
	}

	static String grounding() {
		return FakeGemini.groundingMetadata(FIRST + SECOND, List.of(
				new FakeGemini.WebSource("Kölner Dom <img src=x onerror=alert(1)>", "https://www.koelner-dom.de/",
						"koelner-dom.de"),
				new FakeGemini.WebSource("wikipedia.org", "https://de.wikipedia.org/wiki/K%C3%B6lner_Dom", null),
				new FakeGemini.WebSource("evil", "javascript:alert(1)", null)),
				Map.of("Der Kölner Dom ist 157 m hoch.", List.of(0, 1), "Er wurde 1880 fertig.", List.of(1, 2)),
				List.of("Kölner Dom Höhe"), ENTRY_POINT);
	}

	@Test
	void theToggleIsRememberedWithTheConversationAndSendsSearch() {
		ChatPane pane = newPane();
		assertThat(toggle(pane).getElement().getAttribute("aria-pressed")).isEqualTo("false");

		test(toggle(pane)).click();

		assertThat(toggle(pane).getElement().getAttribute("aria-pressed")).isEqualTo("true");
		assertThat(paneStore.openConversation(alice(), pane.paneId()).orElseThrow().webSearch()).isTrue();
		// another view of the conversation (a reload, another tab) shows it on
		ChatPane reloaded = rebuilt(pane);
		assertThat(toggle(reloaded).getElement().getAttribute("aria-pressed")).isEqualTo("true");
		fake.when("Dom", Reply.chunks("ok"));
		send(reloaded, "Wie hoch ist der Dom?");
		awaitUi(() -> rows(reloaded).size() == 2 && !rows(reloaded).get(1).isStreaming());
		assertThat(fake.requests().getLast().builtInTools()).containsExactly("googleSearch");
	}

	@Test
	void aGroundedAnswerShowsNumberedMarkersAndItsSourcesWhileStreamingAndTheSameAfterReload() {
		ChatPane pane = newPane();
		test(toggle(pane)).click();
		CountDownLatch rest = new CountDownLatch(1);
		fake.when("Dom",
				Reply
					.events(Chunk.text(FIRST), Chunk.text(SECOND).withGrounding(grounding()),
							Chunk.text(" Mehr weiß ich nicht."))
					.holdAfter(2, rest));

		send(pane, "Wie hoch ist der Dom?");

		// live: the sources arrive with the second chunk, while the answer still streams
		awaitUi(() -> rows(pane).size() == 2 && ChatViewTest.html(rows(pane).get(1)).contains("source-list"));
		MessageRow live = rows(pane).get(1);
		assertThat(live.isStreaming()).isTrue();
		assertGrounded(ChatViewTest.html(live));

		rest.countDown();
		awaitUi(() -> !rows(pane).get(1).isStreaming());
		String ended = ChatViewTest.html(rows(pane).get(1));
		assertGrounded(ended);
		assertThat(ended).contains("Mehr weiß ich nicht.");

		// a reload (a new view) builds the answer from storage: the same markers and
		// sources
		ChatPane reloaded = rebuilt(pane);
		String stored = ChatViewTest.html(rows(reloaded).get(1));
		assertGrounded(stored);
		assertThat(sourcesOf(stored)).isEqualTo(sourcesOf(ended));
	}

	/**
	 * The sources list and the search entry point (not the stats after them: speeds
	 * differ live and stored).
	 */
	static String sourcesOf(String html) {
		int start = html.indexOf("<div class=\"sources-head\">");
		return html.substring(start, html.indexOf("</iframe>", start) + "</iframe>".length());
	}

	static void assertGrounded(String html) {
		// markers after each supported sentence, linked to the numbered sources
		assertThat(html).contains("157 m hoch.<sup class=\"cite\"><a href=\"#source-1\" data-cite=\"1\"")
			.contains("data-cite=\"2\"")
			.contains("fertig.<sup class=\"cite\">");
		// sources: escaped titles, links in a new tab without opener or referrer; no
		// javascript: link
		assertThat(html)
			.contains("<a href=\"https://www.koelner-dom.de/\" target=\"_blank\" rel=\"noopener noreferrer\">"
					+ "Kölner Dom &lt;img src=x onerror=alert(1)&gt;</a>")
			.contains("<span class=\"source-domain\">koelner-dom.de</span>")
			.doesNotContain("<img")
			.doesNotContain("href=\"javascript:");
		// Google's search entry point, as provided, in a frame that runs no script
		assertThat(html).contains("<iframe class=\"search-entry-point\"")
			.contains("sandbox=\"allow-popups allow-popups-to-escape-sandbox\"")
			.contains("&lt;a class=&quot;chip&quot;");
	}

	@Test
	void aModelThatRefusesSearchWithToolsAnswersAndTheAnswerSaysWhyTheToolsWereLeftOut() {
		fake.refuseSearchWithFunctions(true);
		fake.when("news", Reply.chunks("Here is what the web says."));
		ChatPane pane = newPane();
		test(toggle(pane)).click();

		send(pane, "Any news today?");

		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());
		MessageRow answer = rows(pane).get(1);
		assertThat(answer.hasClassName("complete")).isTrue();
		assertThat(ChatViewTest.html(answer)).contains("Here is what the web says.")
			.contains("<p class=\"grounding-notice\">This model cannot search the web and use the app's tools");
	}

}
