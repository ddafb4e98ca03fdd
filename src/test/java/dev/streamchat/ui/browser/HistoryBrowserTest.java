package dev.streamchat.ui.browser;

import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The side list in a real browser: changes made in one tab show in the user's other tabs
 * at once.
 */
class HistoryBrowserTest extends BrowserTestSupport {

	@Test
	void aRenameAndADeleteInOneTabShowInTheSideListOfAnotherWithoutReload() {
		TwoTabs tabs = newPaneInTwoTabs();
		String id = tabs.paneId();
		HistoryElement first = tabs.firstPage().history();
		assertThat(first.isMarkedOpen(id)).isTrue();

		first.rename(id, "Renamed in tab one");

		tabs.firstPage().waitUntil(() -> "Renamed in tab one".equals(first.title(id)));
		assertThat(tabs.firstPage().pane(id).title()).isEqualTo("Renamed in tab one");
		driver.switchTo().window(tabs.secondTab());
		HistoryElement second = tabs.secondPage().history();
		tabs.secondPage().waitUntil(() -> "Renamed in tab one".equals(second.title(id)));
		assertThat(tabs.secondPage().pane(id).title()).isEqualTo("Renamed in tab one");

		second.delete(id);

		tabs.secondPage().waitUntil(() -> !second.lists(id));
		driver.switchTo().window(tabs.firstTab());
		tabs.firstPage().waitUntil(() -> !first.lists(id));
		tabs.firstPage().waitUntil(() -> tabs.firstPage().panes().stream().noneMatch(p -> p.paneId().equals(id)));
	}

	@Test
	void theExportLinkDownloadsTheConversationAsAMarkdownFile() {
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();
		fake.when("otters", Reply.chunks("Otters hold hands ", "while they sleep."));
		pane.send("tell me about otters");
		page.waitUntil(() -> pane.hasReply() && pane.lastReply().text().contains("sleep."));
		HistoryElement history = page.history();
		page.waitUntil(() -> "Tell me about otters".equals(history.title(pane.paneId())));

		String download = history.export(pane.paneId());

		// the first line is the Content-Disposition header: a download, under the
		// conversation's title
		assertThat(download.lines().findFirst().orElseThrow()).startsWith("attachment").contains("otters.md");
		assertThat(download).contains("# Tell me about otters\n\n**You:**\n\ntell me about otters\n\n"
				+ "**Model (gemini-2.5-flash):**\n\nOtters hold hands while they sleep.\n");
	}

}
