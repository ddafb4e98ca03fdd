package dev.streamchat.ui.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat on a 390 × 844 phone: nothing wider than the screen, a drawer, one pane at a
 * time, fingers' controls.
 */
class PhoneBrowserTest extends BrowserTestSupport {

	@BeforeEach
	void aPhone() {
		Device.phone(driver);
	}

	@AfterEach
	void backToTheDesktop() {
		Device.desktop(driver);
	}

	@Test
	void onAPhoneThePageIsAsWideAsTheScreenAndAnAnswerShowsAboveTheReachablePrompt() throws Exception {
		fake.when("on the phone",
				Reply.chunks(StreamingBrowserTest.numberedWords("phone", 120)).every(Duration.ofMillis(10)));
		ChatPage page = ChatPage.open(driver, baseUrl());
		AppFrame frame = new AppFrame(driver);
		PaneElement pane = frame.newChatOnPhone(page);

		assertThat(frame.viewportWidth()).isEqualTo(Device.PHONE_WIDTH);
		assertThat(frame.pageWidth()).as("no sideways overflow").isEqualTo(Device.PHONE_WIDTH);
		assertThat(frame.shownPaneId()).as("one pane at a time: the new one").isEqualTo(pane.paneId());
		assertThat(frame.showsConversationList()).as("the list waits in its drawer").isFalse();
		assertThat(frame.fullyVisible(pane.promptField())).as("prompt on screen").isTrue();
		assertThat(frame.fullyVisible(pane.sendButton())).as("Send on screen").isTrue();

		pane.send("answer me on the phone");
		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());

		assertThat(pane.lastReply().text()).contains("phone119");
		// the pane follows the answer to its end (the follow-scroll, not this layout,
		// decides when)
		page.waitUntil(() -> frame.fullyVisible(pane.lastReply().lastBlock()));
		assertThat(frame.fullyVisible(pane.sendButton())).isTrue();
		assertThat(frame.pageWidth()).as("a long answer does not widen the page").isEqualTo(Device.PHONE_WIDTH);
		Path screenshot = Path.of("target", "screenshots", "phone-answer.png");
		Files.createDirectories(screenshot.getParent());
		Files.write(screenshot, driver.getScreenshotAs(OutputType.BYTES));
	}

	@Test
	void withTheKeyboardUpThePromptAndSendStayOnScreen() {
		ChatPage page = ChatPage.open(driver, baseUrl());
		AppFrame frame = new AppFrame(driver);
		PaneElement pane = frame.newChatOnPhone(page);

		// what an on-screen keyboard leaves of an 844 px screen
		Device.screen(driver, Device.PHONE_WIDTH, 480);
		pane.promptField().click();

		page.waitUntil(() -> frame.fullyVisible(pane.promptField()) && frame.fullyVisible(pane.sendButton()));
		assertThat(frame.pageWidth()).isEqualTo(Device.PHONE_WIDTH);
	}

	@Test
	void theSideListIsADrawerAndTheSwitcherPicksWhichPaneShows() {
		ChatPage page = ChatPage.open(driver, baseUrl());
		AppFrame frame = new AppFrame(driver);
		PaneElement first = frame.newChatOnPhone(page);
		String firstTitle = first.title();
		PaneElement second = frame.newChatOnPhone(page);
		assertThat(frame.shownPaneId()).isEqualTo(second.paneId());

		frame.switchTo(firstTitle);
		page.waitUntil(() -> frame.shownPaneId().equals(first.paneId()));

		frame.toggleDrawer();
		page.waitUntil(frame::showsConversationList);
		assertThat(frame.pageWidth()).as("the open drawer does not widen the page").isEqualTo(Device.PHONE_WIDTH);
		page.history().openConversation(second.paneId());
		page.waitUntil(() -> !frame.showsConversationList());
		assertThat(frame.shownPaneId()).as("the conversation picked in the drawer").isEqualTo(second.paneId());
	}

	@Test
	void everyControlOnAPhoneIsAtLeast44PixelsEachWay() {
		ChatPage page = ChatPage.open(driver, baseUrl());
		AppFrame frame = new AppFrame(driver);
		PaneElement pane = frame.newChatOnPhone(page);
		pane.send("a short answer, then look at the buttons");
		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());

		assertThat(frame.controlsSmallerThan(44)).as("with the panes").isEmpty();
		frame.toggleDrawer();
		page.waitUntil(frame::showsConversationList);
		assertThat(frame.controlsSmallerThan(44)).as("with the drawer open").isEmpty();
	}

}
