package dev.streamchat.ui.browser;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Page object of the side list of conversations. */
final class HistoryElement {

	private final WebDriver driver;

	HistoryElement(WebDriver driver) {
		this.driver = driver;
	}

	private WebElement root() {
		return driver.findElement(By.cssSelector(".history"));
	}

	// The list is rebuilt whenever a conversation changes: read it in one script, never
	// through element references kept across a change.

	boolean lists(String paneId) {
		return title(paneId) != null;
	}

	/** The conversation's title as listed; null when it is not listed. */
	@Nullable String title(String paneId) {
		return (String) js("const e = document.querySelector(\".history .history-entry[data-pane-id='\" + arguments[0]"
				+ " + \"'] .history-open\"); return e ? e.textContent : null;", paneId);
	}

	boolean isMarkedOpen(String paneId) {
		return Boolean.TRUE.equals(js("const e = document.querySelector(\".history .history-entry[data-pane-id='\""
				+ " + arguments[0] + \"']\"); return !!e && e.classList.contains('open');", paneId));
	}

	/** Opens the conversation, as a user clicks its title. */
	void openConversation(String paneId) {
		// as a user waits for it: on a phone the list slides in as a drawer, and its
		// entries take clicks once it is there
		new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(ElementNotInteractableException.class).until(d -> {
			root().findElement(entry(paneId)).findElement(By.cssSelector(".history-open")).click();
			return true;
		});
	}

	/** Renames as a user does: the pencil, a new title, Enter. */
	void rename(String paneId, String title) {
		WebElement entry = hover(paneId);
		entry.findElement(By.cssSelector(".history-rename")).click();
		WebElement input = Dom.waitFor(driver, Duration.ofSeconds(10),
				d -> entry.findElements(By.cssSelector(".history-title-field input"))
					.stream()
					.findFirst()
					.orElse(null));
		input.sendKeys(Keys.chord(Keys.CONTROL, "a"));
		input.sendKeys(title);
		input.sendKeys(Keys.ENTER);
	}

	void delete(String paneId) {
		hover(paneId).findElement(By.cssSelector(".history-delete")).click();
	}

	/**
	 * The Markdown file the export link of the conversation downloads, fetched by the
	 * page itself (its session).
	 */
	String export(String paneId) {
		WebElement link = root().findElement(entry(paneId)).findElement(By.cssSelector(".history-export"));
		return Dom.result(((JavascriptExecutor) driver).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch(arguments[0].href).then(r => r.text().then(t =>
				  done(r.headers.get('content-disposition') + '\\n' + t)), e => done('failed: ' + e));""", link),
				String.class, "the export of " + paneId);
	}

	/**
	 * Makes a share link of the conversation from its 🔗, with the options of the given
	 * classes ticked (e.g. {@code share-attachments}; none: nothing extra); returns the
	 * link as the page shows it.
	 */
	String share(String paneId, String... ticked) {
		hover(paneId).findElement(By.cssSelector(".history-share")).click();
		wait(d -> !d.findElements(By.cssSelector(".share-create")).isEmpty());
		for (String option : ticked) {
			WebElement box = driver.findElement(By.cssSelector("vaadin-checkbox." + option));
			box.click();
			wait(d -> "true".equals(box.getDomProperty("checked")));
		}
		driver.findElement(By.cssSelector(".share-create")).click();
		wait(d -> !d.findElements(By.cssSelector(".share-link")).isEmpty());
		return Objects.requireNonNull(driver.findElement(By.cssSelector(".share-link")).getDomProperty("href"),
				"the share link's address");
	}

	/** Closes the open share dialog. */
	void closeShareDialog() {
		driver.findElement(By.cssSelector(".share-close")).click();
		wait(d -> d.findElements(By.cssSelector(".share-close")).isEmpty());
	}

	/** Revokes the link the open share dialog lists, and closes the dialog. */
	void revokeSharedLink() {
		driver.findElement(By.cssSelector(".share-revoke")).click();
		wait(d -> d.findElements(By.cssSelector(".share-link")).isEmpty());
		driver.findElement(By.cssSelector(".share-close")).click();
	}

	private void wait(Function<WebDriver, Boolean> condition) {
		new WebDriverWait(driver, Duration.ofSeconds(20)).until(condition::apply);
	}

	/** The entry's actions show on hover, as for a user's mouse. */
	private WebElement hover(String paneId) {
		WebElement entry = root().findElement(entry(paneId));
		new Actions(driver).moveToElement(entry).perform();
		return entry;
	}

	private @Nullable Object js(String script, Object... args) {
		return ((JavascriptExecutor) driver).executeScript(script, args);
	}

	private static By entry(String paneId) {
		return By.cssSelector(".history-entry[data-pane-id='" + paneId + "']");
	}

}
