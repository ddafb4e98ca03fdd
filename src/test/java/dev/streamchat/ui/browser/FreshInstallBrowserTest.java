package dev.streamchat.ui.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's run command on a fresh machine: no accounts, no API key. The first visitor
 * creates an account, signs in, and the offline demo model answers, saying plainly that
 * it is the demo.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "chat.security.bootstrap-user=", "chat.model.api-key=", "chat.model.demo.first-delay=50ms",
				"chat.model.demo.chunk-delay=5ms" })
@ActiveProfiles("test")
class FreshInstallBrowserTest {

	static ChromeDriver driver;

	@LocalServerPort
	int port;

	@BeforeAll
	static void startBrowser() {
		driver = Browser.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void theFirstVisitorSignsUpSignsInAndTheDemoModelAnswers() {
		driver.get("http://localhost:" + port + "/");
		ChatPage page = new ChatPage(driver);
		page.waitUntil(() -> !driver.findElements(By.id("signup-create")).isEmpty());

		driver.findElement(By.cssSelector("#signup-username input")).sendKeys("first");
		driver.findElement(By.cssSelector("#signup-password input")).sendKeys("first-password");
		driver.findElement(By.cssSelector("#signup-repeat input")).sendKeys("first-password");
		driver.findElement(By.id("signup-create")).click();
		page.waitUntil(() -> !driver.findElements(By.cssSelector("vaadin-login-form")).isEmpty());
		new LoginPage(driver).signIn("first", "first-password");
		page.waitUntil(() -> !page.panes().isEmpty());

		assertThat(page.showsDemoBadge()).isTrue();
		PaneElement pane = page.panes().getFirst();
		pane.send("Show me some code");
		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());
		assertThat(pane.lastReply().text()).contains("offline demo model").contains("IntStream.rangeClosed");
		assertThat(pane.lastReply().phase()).startsWith("done");
		assertThat(driver.findElements(By.cssSelector(".message.assistant pre code"))).isNotEmpty();

		// the conversation is listed under a title taken from the first exchange
		HistoryElement history = new HistoryElement(driver);
		page.waitUntil(() -> "Show me some code".equals(history.title(pane.paneId())));

		// edit the prompt: the demo model shows a tool call, and the first answer stays
		// one click away
		pane.messages().getFirst().editTo("What time is it?");
		page.waitUntil(() -> pane.replies().size() == 1 && !pane.lastReply().toolCards().isEmpty()
				&& !pane.lastReply().isStreaming());
		assertThat(pane.lastReply().toolCards().getFirst().name()).isEqualTo("current_time");
		assertThat(pane.messages().getFirst().versionLabel()).isEqualTo("2 / 2");
	}

}
