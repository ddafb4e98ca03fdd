package dev.streamchat.ui.browser;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.sharing.ShareOptions;
import dev.streamchat.sharing.SharedLink;
import dev.streamchat.sharing.SharedLinks;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.FakeGeminiConfiguration;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Secrets stay on the server, model output stays inert, and signing out ends pushes but
 * not answers.
 */
@AppTest
class SecurityBrowserTest {

	static ChromeDriver driver;

	@LocalServerPort
	int port;

	@Autowired
	FakeGemini fake;

	@Autowired
	Messages messageStore;

	@Autowired
	UserAccounts accounts;

	@Autowired
	MessageBroadcaster broadcaster;

	@Autowired
	SharedLinks links;

	@BeforeAll
	static void startBrowser() {
		driver = Browser.start(true);
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@BeforeEach
	void setUp() {
		fake.reset();
	}

	String baseUrl() {
		return "http://localhost:" + port;
	}

	@Test
	void theApiKeyNeverReachesTheBrowserAndHostileModelOutputStaysInert() {
		fake.when("hostile", Reply.chunks("<script>window.__xss = 'script'</script>\n\n",
				"<img src=x onerror=\"window.__xss = 'img'\">\n\n", "[click me](javascript:window.__xss='link')\n\n",
				"<a href=\"javascript:window.__xss='raw'\">raw</a> done"));
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();

		pane.send("hostile output please");
		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());
		JavascriptExecutor js = (JavascriptExecutor) driver;
		for (var link : driver.findElements(By.cssSelector(".message.assistant a"))) {
			String href = link.getAttribute("href");
			if (href != null && href.matches("(?i)(https?|mailto):.*")) {
				// an allowed destination: following it would leave the page under test
				continue;
			}
			// in this window, not a new tab: a javascript: URL that survived would set
			// window.__xss here
			js.executeScript("arguments[0].removeAttribute('target')", link);
			link.click();
		}
		assertThat(driver.getWindowHandles()).as("every click stayed in this tab").hasSize(1);

		assertThat(js.executeScript("return window.__xss === undefined")).as("no model output ran").isEqualTo(true);
		// in the answers (a prompt's attached image elsewhere on the page is an img of
		// the app's own)
		assertThat(driver.findElements(By.cssSelector(".message.assistant script, .message.assistant img, "
				+ ".message [onerror], .message a[href^='javascript']")))
			.isEmpty();
		assertThat(pane.lastReply().text()).contains("<script>window.__xss = 'script'</script>");

		assertThat(driver.getPageSource()).doesNotContain(FakeGeminiConfiguration.API_KEY);
		StringBuilder frames = new StringBuilder();
		int websocketFrames = 0;
		for (LogEntry entry : driver.manage().logs().get("performance")) {
			if (entry.getMessage().contains("Network.webSocketFrame")) {
				websocketFrames++;
				frames.append(entry.getMessage());
			}
		}
		assertThat(websocketFrames).as("pushes arrived over the websocket").isPositive();
		assertThat(frames).doesNotContain(FakeGeminiConfiguration.API_KEY);
	}

	@Test
	void signingOutMidStreamEndsThePushesButTheAnswerCompletesAndIsThereAfterSigningIn() {
		CountDownLatch release = new CountDownLatch(1);
		FakeGemini.Stream script = Reply.chunks("Stored ", "even ", "when ", "nobody ", "watches.")
			.holdAfter(2, release);
		fake.when("sign out", script);
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();
		String paneId = pane.paneId();
		pane.send("sign out while streaming");
		page.waitUntil(() -> pane.hasReply() && pane.lastReply().text().startsWith("Stored even"));
		MessageId reply = new MessageId(Long
			.parseLong(driver.findElement(By.cssSelector(".pane[data-pane-id='" + paneId + "'] .message.assistant"))
				.getAttribute("data-message-id")));
		int listeners = broadcaster.subscriberCount();

		driver.findElement(By.id("logout")).click();
		page.waitUntil(() -> !driver.findElements(By.cssSelector("vaadin-login-form")).isEmpty());
		await().atMost(Duration.ofSeconds(10)).until(() -> broadcaster.subscriberCount() < listeners);

		release.countDown();
		var alice = accounts.find(TestUsers.ALICE).orElseThrow();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> messageStore.message(alice, reply).orElseThrow().status().isFinal());
		assertThat(messageStore.message(alice, reply).orElseThrow().status()).isEqualTo(MessageStatus.COMPLETE);

		ChatPage again = ChatPage.open(driver, baseUrl());
		PaneElement same = again.pane(paneId);
		assertThat(same.lastReply().text()).isEqualTo(script.fullText());
		assertThat(same.lastReply().isStreaming()).isFalse();
	}

	@Test
	void aShareLinkOpensInAFreshBrowserWithNoSessionRenderedAndInertAndStopsWorkingWhenRevoked() {
		String answer = "The **Dom** is 157 m tall. ";
		String hostile = "<img src=x onerror=\"window.__xss = 'shared'\"> [x](javascript:window.__xss='link')";
		fake.when("share me", Reply.events(Chunk.text(answer), Chunk.text(hostile)
			.withGrounding(FakeGemini.groundingMetadata(answer + hostile,
					List.of(new FakeGemini.WebSource("Kölner Dom", "https://www.koelner-dom.de/", "koelner-dom.de")),
					Map.of("The **Dom** is 157 m tall.", List.of(0)), List.of("Dom Höhe"),
					"<style>.chip{color:#1f1f1f}</style><a class=\"chip\" href=\"https://www.google.com/search?q=Dom\">"
							+ "Dom Höhe</a><script>parent.__xss = 'entry point'</script>"))));
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();
		pane.send("share me please");
		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());

		String link = page.history().share(pane.paneId());

		assertThat(link).matches(Pattern.quote(baseUrl()) + "/share/[A-Za-z0-9_-]{22}");
		ChromeDriver fresh = Browser.start();
		try {
			fresh.get(link);
			// no session, no sign-in page: the snapshot itself
			assertThat(fresh.getCurrentUrl()).isEqualTo(link);
			assertThat(fresh.findElement(By.cssSelector(".message.assistant strong")).getText()).isEqualTo("Dom");
			assertThat(fresh.findElement(By.cssSelector("meta[name=robots]")).getDomAttribute("content"))
				.contains("noindex");
			WebElement source = fresh.findElement(By.cssSelector(".sources .source-list a"));
			assertThat(source.getDomAttribute("target")).isEqualTo("_blank");
			assertThat(source.getDomAttribute("rel")).isEqualTo("noopener noreferrer");
			// Google's search suggestions as provided, under the page's CSP, in a frame
			// that runs no script
			fresh.switchTo().frame(fresh.findElement(By.cssSelector("iframe.search-entry-point")));
			assertThat(fresh.findElement(By.cssSelector("a.chip")).getText()).isEqualTo("Dom Höhe");
			fresh.switchTo().defaultContent();
			WebElement marker = fresh.findElement(By.cssSelector(".message.assistant sup.cite a"));
			marker.click();
			assertThat(fresh.getCurrentUrl()).endsWith("#m1-source-1");
			assertThat(((JavascriptExecutor) fresh).executeScript("return window.__xss === undefined")).isEqualTo(true);
			assertThat(fresh.findElement(By.cssSelector(".message.assistant")).getText()).contains("<img src=x");

			page.history().revokeSharedLink();
			fresh.navigate().refresh();

			assertThat(fresh.findElement(By.tagName("body")).getText()).contains("does not exist or was revoked");
			assertThat(fresh.findElements(By.cssSelector(".message"))).isEmpty();
		}
		finally {
			fresh.quit();
		}
	}

	@Test
	void aShareLinkRendersCodeMathAndDiagramsAsTheChatDoesAndItsFilesOnlyWhenTicked() throws Exception {
		BufferedImage dot = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		ImageIO.write(dot, "png", png);
		fake.when("rich share", Reply.chunks("Euler: $e^{i\\pi} + 1 = 0$.\n\n",
				"```java\npublic class Dom { int height = 157; }\n```\n\n", "```mermaid\ngraph TD\n  A --> B\n```\n"));
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();
		pane.attach("dot.png", "image/png", png.toByteArray());
		page.waitUntil(
				() -> pane.attachmentChips().size() == 1 && Dom.hasClass(pane.attachmentChips().getFirst(), "ready"));
		pane.send("rich share please");
		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());

		String withFiles = page.history().share(pane.paneId(), "share-attachments");
		page.history().closeShareDialog();
		SharedLink withoutFiles = links
			.create(accounts.find(TestUsers.ALICE).orElseThrow(), new ConversationId(Long.parseLong(pane.paneId())),
					ShareOptions.NONE)
			.orElseThrow();

		ChromeDriver fresh = Browser.start();
		try {
			fresh.get(withFiles);
			MessageElement answer = new MessageElement(fresh, fresh.findElement(By.cssSelector(".message.assistant")));
			await().atMost(Duration.ofSeconds(20))
				.ignoreExceptions()
				.until(() -> answer.highlightedTokens() > 0 && answer.typesetFormulas() == 1 && answer.diagrams() == 1);
			assertThat(answer.codeLanguages()).first().isEqualTo("java");
			assertThat(answer.text()).as("typeset, not the TeX source").doesNotContain("$e^");
			WebElement file = fresh.findElement(By.cssSelector(".message.user .attachment-link"));
			assertThat(file.getText()).contains("dot.png");
			assertThat(file.getDomAttribute("href")).matches("/share/[A-Za-z0-9_-]{22}/attachments/\\d+");
			WebElement thumbnail = file.findElement(By.cssSelector("img"));
			await().atMost(Duration.ofSeconds(10)).until(() -> "3".equals(thumbnail.getDomProperty("naturalWidth")));
			assertThat(((JavascriptExecutor) fresh).executeAsyncScript("""
					const done = arguments[arguments.length - 1];
					fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(b.byteLength));""",
					file.getDomProperty("href")))
				.as("served whole through the link, with no session")
				.isEqualTo((long) png.size());

			fresh.get(baseUrl() + withoutFiles.path());
			MessageElement same = new MessageElement(fresh, fresh.findElement(By.cssSelector(".message.assistant")));
			await().atMost(Duration.ofSeconds(20))
				.ignoreExceptions()
				.until(() -> same.highlightedTokens() > 0 && same.typesetFormulas() == 1);
			assertThat(fresh.findElements(By.cssSelector(".attachment-link, .message img"))).isEmpty();
			assertThat(fresh.findElement(By.cssSelector(".shared-files-withheld")).getText())
				.isEqualTo("1 attached file, not shared");
			assertThat(fresh.getPageSource()).doesNotContain("dot.png");
		}
		finally {
			fresh.quit();
		}
	}

}
