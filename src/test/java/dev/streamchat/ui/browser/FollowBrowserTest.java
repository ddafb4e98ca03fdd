package dev.streamchat.ui.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pinned pane shows the newest line of a fast, long answer in (almost) every frame the
 * browser paints.
 */
class FollowBrowserTest extends BrowserTestSupport {

	/**
	 * About 1 000 characters per chunk, in short paragraphs that wrap in a narrow pane.
	 */
	static List<String> longChunks(int count) {
		List<String> chunks = new ArrayList<>();
		for (int c = 0; c < count; c++) {
			StringBuilder chunk = new StringBuilder();
			for (int w = 0; chunk.length() < 1000; w++) {
				chunk.append("word").append(c).append('-').append(w).append(w % 25 == 24 ? ".\n\n" : " ");
			}
			chunks.add(chunk.toString());
		}
		return chunks;
	}

	@Test
	void theNewestLineIsVisibleInAtLeast95PercentOfFramesOfAFastLongAnswerInANarrowPane() throws Exception {
		FakeGemini.Stream script = Reply.chunks(longChunks(50)).every(Duration.ofMillis(150));
		fake.when("fast and long", script);
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();
		page.keepOnly(pane);
		Dimension window = driver.manage().window().getSize();
		try {
			page.narrowPaneTo(pane, 500);
			page.waitUntil(() -> Math.abs(pane.width() - 500) <= 40);
			pane.measurePinnedFrames();

			pane.send("fast and long, please");
			page.waitUntil(() -> pane.hasReply() && pane.lastReply().text().length() > 1000);
			page.waitUntil(() -> !pane.lastReply().isStreaming());
			PaneElement.PinnedFrames frames = pane.pinnedFrames();

			Path figure = Path.of("target", "figures", "pinned-frames.txt");
			Files.createDirectories(figure.getParent());
			Files.writeString(figure, String.format(Locale.ROOT,
					"pane width %d px, %d chunks of ~1000 chars every 150 ms: newest line visible in %d of %d frames"
							+ " (%.1f %%), at worst %.0f px below the visible area%n",
					pane.width(), 50, frames.showingNewest(), frames.frames(), 100 * frames.fraction(),
					Math.max(0, frames.worstBehindPx())));
			assertThat(frames.frames()).as("frames measured while streaming").isGreaterThan(100);
			assertThat(frames.fraction()).as("fraction of frames showing the newest line: %s", frames)
				.isGreaterThanOrEqualTo(0.95);
			page.waitUntil(pane::isScrolledToBottom);
		}
		finally {
			driver.manage().window().setSize(window);
		}
	}

}
