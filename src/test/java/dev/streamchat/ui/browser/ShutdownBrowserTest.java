package dev.streamchat.ui.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.streamchat.testing.AppNode;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.FakeGeminiConfiguration;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a node mid-answer (a deploy, a scale-down): the answer is stored as
 * INTERRUPTED with every character the user saw, including the batch not yet written when
 * the signal came. Found on a real SIGTERM, where H2's own shutdown hook closed the
 * database first; a closed Spring context does not show it, so the node is a JVM of its
 * own with an H2 file database.
 */
@AppTest
class ShutdownBrowserTest {

	@Autowired
	FakeGemini fake;

	@Test
	void sigtermMidAnswerStoresTheLastBatchAsInterrupted() throws Exception {
		Path data = Files.createTempDirectory("shutdown-node");
		// an URL as an operator would give it: nothing about closing in it
		String url = "jdbc:h2:file:" + data.resolve("chat").toAbsolutePath();
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("spring.datasource.url", url);
		settings.put("chat.model.api-key", FakeGeminiConfiguration.API_KEY);
		settings.put("chat.model.base-url", fake.baseUrl());
		settings.put("chat.security.bootstrap-user", TestUsers.ALICE);
		settings.put("chat.security.bootstrap-password", TestUsers.ALICE_PASSWORD);
		settings.put("vaadin.devmode.devTools.enabled", "false");
		settings.put("chat.history.model-titles", "false");
		// nothing is stored while the answer streams: everything shown is the "last
		// batch"
		settings.put("chat.streaming.flush-interval", "1h");
		settings.put("chat.streaming.flush-chars", "1000000");
		// the answer is held open for ever: a single node's drain then ends it as
		// interrupted
		settings.put("chat.streaming.drain-timeout", "1s");
		CountDownLatch release = new CountDownLatch(1);
		fake.reset();
		fake.when("until the signal",
				Reply.chunks("Kept ", "through ", "the signal", " (never sent)").holdAfter(3, release));
		ChromeDriver driver = Browser.start();
		try (AppNode node = AppNode.start("shutdown", settings)) {
			ChatPage page = ChatPage.open(driver, node.baseUrl());
			PaneElement pane = page.addPane();
			pane.send("stream until the signal");
			page.waitUntil(() -> pane.hasReply() && pane.lastReply().text().contains("Kept through the signal"));

			node.terminate();

			assertThat(node.log()).doesNotContain("Could not open JDBC Connection")
				.doesNotContain("could not be stored");
		}
		finally {
			release.countDown();
			driver.quit();
		}
		try (Connection db = DriverManager.getConnection(url, "sa", "");
				ResultSet reply = db.createStatement()
					.executeQuery("select status, content from message where role = 'ASSISTANT' order by id desc")) {
			assertThat(reply.next()).isTrue();
			assertThat(reply.getString("status")).isEqualTo("INTERRUPTED");
			assertThat(reply.getString("content")).isEqualTo("Kept through the signal");
		}
	}

	/**
	 * A prompt typed in a tab whose server goes away (a restart, a crash) is not lost:
	 * the reload that follows, on a server that has no such UI, puts it back in the
	 * prompt, and once sent it is gone from there (issue 16).
	 */
	@Test
	void aPromptTypedWhileTheServerGoesAwayIsBackInThePromptAfterTheReload() throws Exception {
		Path data = Files.createTempDirectory("draft-node");
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("spring.datasource.url", "jdbc:h2:file:" + data.resolve("chat").toAbsolutePath());
		settings.put("chat.model.api-key", FakeGeminiConfiguration.API_KEY);
		settings.put("chat.model.base-url", fake.baseUrl());
		settings.put("chat.security.bootstrap-user", TestUsers.ALICE);
		settings.put("chat.security.bootstrap-password", TestUsers.ALICE_PASSWORD);
		settings.put("vaadin.devmode.devTools.enabled", "false");
		settings.put("chat.history.model-titles", "false");
		fake.reset();
		fake.when("typed before the restart", Reply.chunks("Got ", "it"));
		int port = AppNode.freePort();
		ChromeDriver driver = Browser.start();
		AppNode restarted = null;
		try {
			String paneId;
			try (AppNode node = AppNode.start("draft", settings, port)) {
				ChatPage page = ChatPage.open(driver, node.baseUrl());
				PaneElement pane = page.addPane();
				paneId = pane.paneId();
				pane.typeWithoutSending("typed before the restart");

				node.terminate();
			}
			// typed on while the server is away: the field still takes it
			new ChatPage(driver).pane(paneId).typeWithoutSending(", and after");
			restarted = AppNode.start("draft-again", settings, port);

			driver.navigate().refresh();
			ChatPage page = ChatPage.open(driver, restarted.baseUrl());
			page.waitUntil(() -> "typed before the restart, and after".equals(page.pane(paneId).promptValue()));

			page.pane(paneId).clickSendOrStop();
			page.waitUntil(() -> page.pane(paneId).hasReply() && page.pane(paneId).lastReply().hasStatus("complete"));
			assertThat(page.pane(paneId).messages().getFirst().text()).contains("typed before the restart, and after");
			driver.navigate().refresh();
			ChatPage reloaded = ChatPage.open(driver, restarted.baseUrl());
			reloaded.waitUntil(() -> reloaded.pane(paneId).hasReply());
			assertThat(reloaded.pane(paneId).promptValue()).as("sent and stored: no draft any more").isEmpty();
		}
		finally {
			driver.quit();
			if (restarted != null) {
				restarted.close();
			}
		}
	}

}
