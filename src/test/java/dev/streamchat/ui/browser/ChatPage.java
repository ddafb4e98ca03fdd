package dev.streamchat.ui.browser;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.streamchat.testing.TestUsers;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Page object of the chat view (TestBench style: what a user sees and does, no selectors
 * in tests).
 */
final class ChatPage {

	private final WebDriver driver;

	ChatPage(WebDriver driver) {
		this.driver = driver;
	}

	/**
	 * Opens the chat, signing in as the test user first if the browser has no session
	 * yet.
	 */
	static ChatPage open(WebDriver driver, String baseUrl) {
		driver.get(baseUrl + "/");
		ChatPage page = new ChatPage(driver);
		page.waitUntil(() -> !driver.findElements(By.cssSelector(".chat-view, vaadin-login-form")).isEmpty());
		if (!driver.findElements(By.cssSelector("vaadin-login-form")).isEmpty()) {
			new LoginPage(driver).signIn(TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
		}
		page.waitUntil(() -> !page.panes().isEmpty());
		return page;
	}

	List<PaneElement> panes() {
		return driver.findElements(By.cssSelector(".pane")).stream().map(e -> new PaneElement(driver, e)).toList();
	}

	PaneElement pane(String paneId) {
		return new PaneElement(driver, driver.findElement(By.cssSelector(".pane[data-pane-id='" + paneId + "']")));
	}

	PaneElement addPane() {
		int before = panes().size();
		driver.findElement(By.id("add-pane")).click();
		waitUntil(() -> panes().size() == before + 1);
		return panes().getLast();
	}

	/** Closes every pane but this one. */
	void keepOnly(PaneElement kept) {
		for (PaneElement other : panes()) {
			if (!other.paneId().equals(kept.paneId())) {
				int before = panes().size();
				other.close();
				waitUntil(() -> panes().size() == before - 1);
			}
		}
	}

	/** Resizes the window so that the only pane is about this wide. */
	void narrowPaneTo(PaneElement pane, int width) {
		Dimension window = driver.manage().window().getSize();
		driver.manage().window().setSize(new Dimension(window.getWidth() - (pane.width() - width), window.getHeight()));
	}

	HistoryElement history() {
		return new HistoryElement(driver);
	}

	boolean showsDemoBadge() {
		return !driver.findElements(By.cssSelector(".demo-badge")).isEmpty();
	}

	/**
	 * Waits for a condition; an element the server re-rendered meanwhile is looked up
	 * again on the next poll.
	 */
	void waitUntil(BooleanSupplier condition) {
		new WebDriverWait(driver, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(20))
			.ignoring(StaleElementReferenceException.class)
			.until(d -> condition.getAsBoolean());
	}

	/**
	 * Records what the page puts on the clipboard instead of touching the machine's
	 * clipboard, which a headless browser in CI does not have.
	 */
	void recordClipboard() {
		((JavascriptExecutor) driver).executeScript("""
				window.__copied = [];
				navigator.clipboard.writeText = text => { window.__copied.push(text); return Promise.resolve(); };""");
	}

	@SuppressWarnings("unchecked")
	List<String> copied() {
		return Dom.result(((JavascriptExecutor) driver).executeScript("return window.__copied;"), List.class,
				"what the page copied (recorded since recordClipboard)");
	}

	WebElement root() {
		return driver.findElement(By.cssSelector(".chat-view"));
	}

}
