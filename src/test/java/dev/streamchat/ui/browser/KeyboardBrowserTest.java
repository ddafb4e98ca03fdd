package dev.streamchat.ui.browser;

import java.time.Duration;

import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyboard shortcuts, pressed as a user presses them, and the "?" sheet that lists
 * them.
 */
class KeyboardBrowserTest extends BrowserTestSupport {

	@Test
	void slashFocusesThePromptAndEscapeStopsTheAnswer() {
		fake.when("long one",
				Reply.chunks(StreamingBrowserTest.numberedWords("esc", 400)).every(Duration.ofMillis(50)));
		ChatPage page = ChatPage.open(driver, baseUrl());
		AppFrame frame = new AppFrame(driver);
		PaneElement pane = page.addPane();
		// focus nowhere in particular
		driver.findElement(By.cssSelector(".app-title")).click();

		frame.press("/");
		page.waitUntil(() -> frame.focusedClasses().contains("prompt"));
		frame.press("a long one please", Keys.ENTER);
		page.waitUntil(() -> pane.hasReply() && pane.lastReply().text().contains("esc2"));

		frame.press(Keys.ESCAPE);
		page.waitUntil(() -> pane.lastReply().hasStatus("stopped"));
		assertThat(pane.sendButtonText()).isEqualTo("Send");
	}

	@Test
	void ctrlKSearchesAndCtrlShiftOStartsANewChat() {
		ChatPage page = ChatPage.open(driver, baseUrl());
		AppFrame frame = new AppFrame(driver);
		int panes = page.panes().size();

		frame.pressWithCtrl(false, "k");
		page.waitUntil(() -> frame.focusedClasses().contains("history-search"));

		frame.pressWithCtrl(true, "o");
		page.waitUntil(() -> page.panes().size() == panes + 1);
	}

	@Test
	void questionMarkShowsTheSheetOfKeys() {
		ChatPage page = ChatPage.open(driver, baseUrl());
		AppFrame frame = new AppFrame(driver);
		driver.findElement(By.cssSelector(".app-title")).click();

		frame.press("?");

		assertThat(frame.shortcutSheetText()).contains("Esc", "Stop the answer", "/", "Ctrl + K", "Search",
				"Ctrl + Shift + O", "New chat", "?");
		frame.press(Keys.ESCAPE);
	}

}
