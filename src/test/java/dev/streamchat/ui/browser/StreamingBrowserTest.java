package dev.streamchat.ui.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.SlowNetworkProxy;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only a real browser shows: Push over the websocket, the caret, scrolling, several
 * tabs.
 */
class StreamingBrowserTest extends BrowserTestSupport {

	/** Numbered words, so a gap or a duplicate anywhere changes the text. */
	static List<String> numberedWords(String prefix, int count) {
		List<String> words = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			words.add(prefix + i + (i % 12 == 11 ? ".\n\n" : " "));
		}
		return words;
	}

	static String normalized(String text) {
		return text.replaceAll("\\s+", " ").strip();
	}

	@Test
	void aReplyStreamsWithABlinkingCaretAndEndsWithExactlyTheModelsText() {
		// the first token waits until the page has shown the empty reply
		CountDownLatch looked = new CountDownLatch(1);
		FakeGemini.Stream script = Reply.chunks(numberedWords("tok", 40))
			.every(Duration.ofMillis(60))
			.holdAfter(0, looked);
		fake.when("caret", script);
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();

		pane.send("show me the caret");

		page.waitUntil(() -> pane.hasReply());
		MessageElement reply = pane.lastReply();
		assertThat(reply.isStreaming()).isTrue();
		assertThat(reply.showsBlinkingCaret()).as("caret while waiting for the first token").isTrue();
		assertThat(pane.sendButtonText()).isEqualTo("Stop");
		// the prompt is cleared once sent
		page.waitUntil(() -> pane.promptValue().isEmpty());
		looked.countDown();

		// the text grows in steps while streaming, with the caret shown throughout
		Set<Integer> lengthsSeen = new LinkedHashSet<>();
		page.waitUntil(() -> {
			String text = reply.text();
			boolean caret = reply.showsBlinkingCaret();
			// still streaming after both reads: the caret must have been there
			if (reply.isStreaming()) {
				lengthsSeen.add(text.length());
				assertThat(caret)
					.as("caret while streaming, at text length %d: …%s", text.length(),
							text.substring(Math.max(0, text.length() - 30)))
					.isTrue();
				return false;
			}
			return true;
		});
		assertThat(lengthsSeen).as("distinct lengths seen while streaming").hasSizeGreaterThanOrEqualTo(5);

		assertThat(reply.showsBlinkingCaret()).as("no caret once done").isFalse();
		assertThat(normalized(reply.text())).isEqualTo(normalized(script.fullText()));
		assertThat(reply.phase()).startsWith("done");
		assertThat(pane.sendButtonText()).isEqualTo("Send");
	}

	@Test
	void twoPanesStreamAtTheSameTime() throws Exception {
		// both held mid-answer until both are seen streaming: the model is asked before
		// the reply's row is stored, so an unheld answer could end before the page looked
		CountDownLatch seen = new CountDownLatch(1);
		FakeGemini.Stream left = Reply.chunks(numberedWords("left", 60))
			.every(Duration.ofMillis(40))
			.holdAfter(20, seen);
		FakeGemini.Stream right = Reply.chunks(numberedWords("right", 60))
			.every(Duration.ofMillis(40))
			.holdAfter(20, seen);
		fake.when("left pane", left).when("right pane", right);
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement first = page.addPane();
		PaneElement second = page.addPane();

		first.send("left pane please");
		second.send("right pane please");

		page.waitUntil(() -> first.hasReply() && second.hasReply() && first.lastReply().text().length() > 60
				&& second.lastReply().text().length() > 60);
		assertThat(first.lastReply().isStreaming()).isTrue();
		assertThat(second.lastReply().isStreaming()).isTrue();
		assertThat(first.lastReply().showsBlinkingCaret()).isTrue();
		assertThat(second.lastReply().showsBlinkingCaret()).isTrue();
		Path screenshot = Path.of("target", "screenshots", "two-panes-mid-stream.png");
		Files.createDirectories(screenshot.getParent());
		Files.write(screenshot, driver.getScreenshotAs(OutputType.BYTES));
		seen.countDown();

		page.waitUntil(() -> !first.lastReply().isStreaming() && !second.lastReply().isStreaming());
		assertThat(normalized(first.lastReply().text())).isEqualTo(normalized(left.fullText()));
		assertThat(normalized(second.lastReply().text())).isEqualTo(normalized(right.fullText()));
	}

	@Test
	void theSamePaneInTwoTabsStreamsLiveInBoth() {
		FakeGemini.Stream script = Reply.chunks(numberedWords("both", 50)).every(Duration.ofMillis(40));
		fake.when("two tabs", script);
		TwoTabs tabs = newPaneInTwoTabs();
		String paneId = tabs.paneId();
		ChatPage first = tabs.firstPage();
		ChatPage second = tabs.secondPage();
		String firstTab = tabs.firstTab();
		String secondTab = tabs.secondTab();

		first.pane(paneId).send("two tabs, one stream");

		driver.switchTo().window(secondTab);
		PaneElement watching = second.pane(paneId);
		second.waitUntil(() -> watching.hasReply() && watching.lastReply().isStreaming()
				&& !watching.lastReply().text().isEmpty());
		assertThat(watching.messages().getFirst().text()).isEqualTo("two tabs, one stream");
		assertThat(watching.sendButtonText()).isEqualTo("Stop");
		second.waitUntil(() -> !watching.lastReply().isStreaming());
		assertThat(normalized(watching.lastReply().text())).isEqualTo(normalized(script.fullText()));

		driver.switchTo().window(firstTab);
		PaneElement sending = first.pane(paneId);
		first.waitUntil(() -> !sending.lastReply().isStreaming());
		assertThat(normalized(sending.lastReply().text())).isEqualTo(normalized(script.fullText()));
	}

	@Test
	void aTabOpenedMidStreamShowsTheTextSoFarAndContinuesWithoutGapsOrDuplicates() {
		CountDownLatch joined = new CountDownLatch(1);
		FakeGemini.Stream script = Reply.chunks(numberedWords("mid", 80))
			.every(Duration.ofMillis(20))
			.holdAfter(30, joined);
		fake.when("mid-stream", script);
		ChatPage first = ChatPage.open(driver, baseUrl());
		PaneElement pane = first.addPane();
		String paneId = pane.paneId();
		pane.send("join mid-stream");
		first.waitUntil(() -> pane.hasReply() && normalized(pane.lastReply().text()).endsWith("mid29"));

		driver.switchTo().newWindow(WindowType.TAB);
		ChatPage late = ChatPage.open(driver, baseUrl());
		PaneElement watcher = late.pane(paneId);
		late.waitUntil(() -> watcher.hasReply());
		assertThat(watcher.lastReply().isStreaming()).as("joined while streaming").isTrue();
		assertThat(normalized(watcher.lastReply().text())).as("the text so far is there at once").endsWith("mid29");

		joined.countDown();

		late.waitUntil(() -> !watcher.lastReply().isStreaming());
		assertThat(normalized(watcher.lastReply().text())).isEqualTo(normalized(script.fullText()));
	}

	@Test
	void thePaneFollowsTheAnswerUntilTheUserScrollsUp() {
		FakeGemini.Stream script = Reply.chunks(numberedWords("scroll", 400)).every(Duration.ofMillis(30));
		fake.when("long answer", script);
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();

		pane.send("a long answer please");

		page.waitUntil(() -> pane.canScroll() && pane.hasReply() && pane.lastReply().isStreaming());
		page.waitUntil(pane::isScrolledToBottom);
		assertThat(pane.showsJumpToLatest()).isFalse();

		pane.scrollUpBy(400);
		page.waitUntil(pane::showsJumpToLatest);
		int lengthWhenDetached = pane.lastReply().text().length();
		page.waitUntil(() -> pane.lastReply().text().length() > lengthWhenDetached + 200);
		assertThat(pane.isScrolledToBottom()).as("no longer following after scrolling up").isFalse();

		pane.jumpToLatest();
		page.waitUntil(pane::isScrolledToBottom);
		// following again: in every frame in which the text grows the newest line is in
		// sight; then stop rather than wait for the rest of the answer
		PaneElement.FramesWhileGrowing back = pane.framesWhileGrowing(200);
		assertThat(back.grown()).as("the answer went on growing").isTrue();
		assertThat(back.offTheEnd())
			.as("frames of %s that left the newest line off-screen after the jump", back.frames())
			.isZero();
		pane.clickSendOrStop();
		page.waitUntil(() -> !pane.lastReply().isStreaming());
		page.waitUntil(pane::isScrolledToBottom);
		assertThat(pane.showsJumpToLatest()).isFalse();
	}

	@Test
	void onASlowNetworkTheAnswerArrivesCompleteAndThePromptStaysUsable() throws Exception {
		FakeGemini.Stream script = Reply.chunks(numberedWords("slow", 120)).every(Duration.ofMillis(40));
		fake.when("slow network", script);
		try (SlowNetworkProxy proxy = new SlowNetworkProxy(port)) {
			ChatPage page = ChatPage.open(driver, "http://localhost:" + proxy.port());
			PaneElement pane = page.addPane();
			proxy.slowDown(Duration.ofMillis(400), 50_000); // 400 ms each way, 50 kB/s

			pane.send("slow network test");
			page.waitUntil(() -> pane.hasReply() && pane.lastReply().isStreaming());
			pane.typeWithoutSending("typing while it streams");
			assertThat(pane.promptValue()).isEqualTo("typing while it streams");

			page.waitUntil(() -> !pane.lastReply().isStreaming());
			assertThat(normalized(pane.lastReply().text())).isEqualTo(normalized(script.fullText()));
			assertThat(pane.promptValue()).isEqualTo("typing while it streams");
		}
	}

	@Test
	void shiftEnterAddsALineAndEnterSends() {
		fake.when("line one", Reply.chunks("Got both lines."));
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();

		pane.typeWithoutSending("line one");
		pane.typeWithoutSending(Keys.chord(Keys.SHIFT, Keys.ENTER));
		pane.send("line two");

		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());
		assertThat(pane.messages().getFirst().text()).isEqualTo("line one\nline two");
		assertThat(fake.requests().getLast().lastUserText()).isEqualTo("line one\nline two");
	}

}
