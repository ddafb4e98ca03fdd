package dev.streamchat.ui.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What assistive technology gets: axe-core finds nothing serious with an answer on screen
 * (at desktop and phone sizes), and each pane's live regions say when an answer starts,
 * retries and ends, never once per token.
 */
class AccessibilityBrowserTest extends BrowserTestSupport {

	static final String RICH_ANSWER = """
			A short list:

			- one
			- two

			| name | value |
			|------|-------|
			| a    | 1     |

			```python
			print("a line of code that is long enough to scroll sideways in a narrow pane, and then some more")
			```

			The end.
			""";

	/** axe's counts per screen size, for target/figures/axe.txt. */
	static final List<String> figures = new ArrayList<>();

	@AfterEach
	void desktopAgain() {
		Device.desktop(driver);
	}

	@AfterAll
	static void writeFigures() throws Exception {
		if (!figures.isEmpty()) {
			Path file = Path.of("target", "figures", "axe.txt");
			Files.createDirectories(file.getParent());
			Files.writeString(file, String.join("\n", figures) + "\n");
		}
	}

	@Test
	void axeFindsNothingSeriousOnTheChatWithAnAnswerAtDesktopAndPhoneSizes() {
		fake.when("rich", Reply.chunks(RICH_ANSWER));
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();
		pane.send("a rich answer please");
		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());
		Accessibility a11y = new Accessibility(driver);

		List<Accessibility.Violation> desktop = a11y.axe();
		record("desktop 1400x900", desktop);

		Device.phone(driver);
		page.waitUntil(() -> new AppFrame(driver).viewportWidth() == Device.PHONE_WIDTH);
		List<Accessibility.Violation> phone = a11y.axe();
		record("phone 390x844", phone);
		new AppFrame(driver).toggleDrawer();
		page.waitUntil(new AppFrame(driver)::showsConversationList);
		List<Accessibility.Violation> drawer = a11y.axe();
		record("phone 390x844, drawer open", drawer);

		assertThat(desktop).filteredOn(Accessibility.Violation::seriousOrWorse).as("desktop").isEmpty();
		assertThat(phone).filteredOn(Accessibility.Violation::seriousOrWorse).as("phone").isEmpty();
		assertThat(drawer).filteredOn(Accessibility.Violation::seriousOrWorse).as("phone, drawer open").isEmpty();
	}

	private static void record(String where, List<Accessibility.Violation> violations) {
		long serious = violations.stream().filter(v -> "serious".equals(v.impact())).mapToLong(v -> v.count()).sum();
		long critical = violations.stream().filter(v -> "critical".equals(v.impact())).mapToLong(v -> v.count()).sum();
		long other = violations.stream().filter(v -> !v.seriousOrWorse()).mapToLong(v -> v.count()).sum();
		figures.add("%s: critical %d, serious %d, moderate/minor %d%s".formatted(where, critical, serious, other,
				violations.isEmpty() ? "" : "  " + violations));
	}

	@Test
	void theStatusRegionSaysWhoIsAnsweringAndWhenItIsDoneButNothingPerToken() {
		FakeGemini.Stream script = Reply.chunks(StreamingBrowserTest.numberedWords("said", 80))
			.every(Duration.ofMillis(40));
		fake.when("announce", script);
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();
		Accessibility a11y = new Accessibility(driver);
		a11y.recordAnnouncements(pane.root());

		pane.send("announce it");
		page.waitUntil(
				() -> pane.hasReply() && pane.lastReply().isStreaming() && pane.lastReply().text().contains("said10"));
		assertThat(pane.lastReplyIsBusy()).as("aria-busy while streaming").isTrue();
		page.waitUntil(() -> !pane.lastReply().isStreaming());

		assertThat(pane.lastReplyIsBusy()).as("aria-busy once ended").isFalse();
		// 80 chunks: one announcement when it starts, one when it ends
		page.waitUntil(() -> a11y.announcements(pane.root()).size() >= 2);
		assertThat(a11y.announcements(pane.root())).containsExactly("status: gemini-2.5-flash is answering",
				"status: done");
	}

	@Test
	void stoppingRetryingAndFailingAreAnnouncedAndAFailureAssertively() {
		fake.when("stop me",
				Reply.chunks(StreamingBrowserTest.numberedWords("slow", 400)).every(Duration.ofMillis(50)));
		fake.when("busy model", Reply.rateLimited("1s", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"))
			.when("busy model", Reply.chunks("Fine", " now."));
		fake.when("broken", Reply.httpError(400, "INVALID_ARGUMENT", "The request is not valid."));
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();
		Accessibility a11y = new Accessibility(driver);
		a11y.recordAnnouncements(pane.root());

		pane.send("stop me");
		page.waitUntil(() -> pane.hasReply() && pane.lastReply().text().contains("slow3"));
		pane.clickSendOrStop();
		page.waitUntil(() -> pane.lastReply().hasStatus("stopped"));
		page.waitUntil(() -> a11y.announcements(pane.root()).contains("status: stopped"));

		pane.send("busy model");
		page.waitUntil(() -> pane.lastReply().text().contains("Fine now"));
		page.waitUntil(() -> a11y.announcements(pane.root()).getLast().equals("status: done"));
		assertThat(a11y.announcements(pane.root())).contains("status: retrying in 1 s");

		pane.send("broken");
		page.waitUntil(() -> pane.lastReply().hasStatus("failed"));
		page.waitUntil(() -> a11y.announcements(pane.root()).stream().anyMatch(a -> a.startsWith("alert: failed: ")));
		assertThat(a11y.announcements(pane.root())
			.stream()
			.filter(a -> a.startsWith("alert: failed: "))
			.findFirst()
			.orElseThrow()).contains("not valid");
	}

}
