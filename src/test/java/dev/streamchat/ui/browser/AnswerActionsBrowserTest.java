package dev.streamchat.ui.browser;

import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user does around an answer (edit, regenerate, switch versions, copy, delete),
 * seen live in a second tab.
 */
class AnswerActionsBrowserTest extends BrowserTestSupport {

	@Test
	void editingAPromptInOneTabBranchesTheConversationInTheOtherAndTheOldBranchComesBack() {
		fake.when("red", Reply.chunks("Red is warm."));
		fake.when("green", Reply.chunks("Green is calm."));
		fake.when("blue", Reply.chunks("Blue is ", "cool."));
		TwoTabs tabs = newPaneInTwoTabs();
		PaneElement pane = tabs.firstPage().pane(tabs.paneId());
		pane.send("red?");
		tabs.firstPage().waitUntil(() -> pane.replies().size() == 1 && !pane.lastReply().isStreaming());
		pane.send("and green?");
		tabs.firstPage().waitUntil(() -> pane.replies().size() == 2 && !pane.lastReply().isStreaming());

		pane.messages().getFirst().editTo("blue?");

		driver.switchTo().window(tabs.secondTab());
		ChatPage second = tabs.secondPage();
		PaneElement watching = second.pane(tabs.paneId());
		second.waitUntil(() -> watching.messages().size() == 2 && watching.lastReply().text().equals("Blue is cool.")
				&& !watching.lastReply().isStreaming());
		assertThat(watching.messages().getFirst().text()).isEqualTo("blue?");
		assertThat(watching.messages().getFirst().versionLabel()).isEqualTo("2 / 2");

		watching.messages().getFirst().previousVersion();

		driver.switchTo().window(tabs.firstTab());
		tabs.firstPage().waitUntil(() -> pane.messages().size() == 4);
		assertThat(pane.messages()).extracting(MessageElement::text)
			.containsExactly("red?", "Red is warm.", "and green?", "Green is calm.");
		assertThat(pane.messages().getFirst().versionLabel()).isEqualTo("1 / 2");
	}

	@Test
	void thePanesSettingsGoWithThePromptAndAnAnswerCutShortSaysWhy() {
		fake.when("summary", Reply.chunks("The text is ", "about").usage(120, 64, 0).finishReason("MAX_TOKENS"));
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();

		pane.changeSettings("Answer in one line.", "0.3");
		page.waitUntil(() -> pane.settingsMessage().startsWith("Saved"));
		pane.send("a summary please");

		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());
		assertThat(fake.requests().getLast().systemInstruction()).isEqualTo("Answer in one line.");
		assertThat(fake.requests().getLast().temperature()).isEqualTo(0.3);
		assertThat(pane.lastReply().text()).isEqualTo("The text is about");
		assertThat(pane.lastReply().stats()).contains("120 in · 64 out").endsWith("stopped: max tokens");
	}

	@Test
	void copyRegenerateAndDeleteAnAnswer() {
		fake.when("snippet", Reply.chunks("Here:\n\n```java\nint x = 1;\n```\n"));
		fake.when("snippet", Reply.chunks("Another way: `var x = 1;`"));
		TwoTabs tabs = newPaneInTwoTabs();
		ChatPage first = tabs.firstPage();
		PaneElement pane = first.pane(tabs.paneId());
		pane.send("a snippet please");
		first.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());
		first.recordClipboard();

		pane.lastReply().clickAction("copy-answer");
		pane.lastReply().copyFirstCodeBlock();

		first.waitUntil(() -> first.copied().size() == 2);
		assertThat(first.copied()).containsExactly("Here:\n\n```java\nint x = 1;\n```\n", "int x = 1;\n");

		pane.lastReply().clickAction("regenerate");

		first.waitUntil(() -> pane.replies().size() == 1 && pane.lastReply().text().equals("Another way: var x = 1;")
				&& !pane.lastReply().isStreaming());
		assertThat(pane.lastReply().versionLabel()).isEqualTo("2 / 2");

		pane.lastReply().clickAction("delete-exchange");
		// deleting cannot be undone: the first click only asks
		assertThat(pane.lastReply().actionLabel("delete-exchange")).isEqualTo("Delete both?");
		assertThat(pane.messages()).hasSize(2);
		pane.lastReply().clickAction("delete-exchange");

		driver.switchTo().window(tabs.secondTab());
		PaneElement watching = tabs.secondPage().pane(tabs.paneId());
		tabs.secondPage().waitUntil(() -> watching.messages().isEmpty());
	}

}
