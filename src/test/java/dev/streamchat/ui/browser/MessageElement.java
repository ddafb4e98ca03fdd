package dev.streamchat.ui.browser;

import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Page object of one message bubble. */
final class MessageElement {

	private final WebDriver driver;

	private final WebElement root;

	MessageElement(WebDriver driver, WebElement root) {
		this.driver = driver;
		this.root = root;
	}

	/**
	 * The text shown in the bubble, as the browser renders it (innerText of the content).
	 */
	String text() {
		return Dom.result(((JavascriptExecutor) driver).executeScript(
				"return arguments[0].querySelector('.content').innerText;", root), String.class, "the bubble's text");
	}

	/**
	 * The last element of the bubble's content that holds text of its own: where the text
	 * ends (empty tails skipped). A NoSuchElementException while the bubble has no text
	 * yet, as for any element not there (waits poll past it).
	 */
	WebElement lastBlock() {
		Object block = ((JavascriptExecutor) driver)
			.executeScript("return [...arguments[0].querySelectorAll('.content *')]"
					+ ".filter(e => e.children.length === 0 && e.textContent.trim()).pop();", root);
		if (block == null) {
			throw new NoSuchElementException("the bubble has no text yet");
		}
		return (WebElement) block;
	}

	boolean isStreaming() {
		return Dom.hasClass(root, "streaming");
	}

	/**
	 * Whether the bubble is marked with this status ("complete", "stopped", "failed" …).
	 */
	boolean hasStatus(String status) {
		return Dom.hasClass(root, status);
	}

	String phase() {
		return root.findElement(By.cssSelector(".phase")).getText();
	}

	String error() {
		return root.findElement(By.cssSelector(".error")).getText();
	}

	/**
	 * Whether a blinking caret is drawn: some element's ::after in the bubble runs the
	 * caret animation.
	 */
	boolean showsBlinkingCaret() {
		return Dom.result(((JavascriptExecutor) driver).executeScript("""
				for (const el of arguments[0].querySelectorAll('.content, .content *')) {
				  const after = getComputedStyle(el, '::after');
				  if (after.content !== 'none' && after.animationName === 'caret-blink'
				      && parseFloat(after.width) > 0) return true;
				}
				return false;""", root), Boolean.class, "whether a caret blinks");
	}

	/** The tool cards in the bubble, in order. */
	List<ToolCardElement> toolCards() {
		return root.findElements(By.cssSelector(".tool-card"))
			.stream()
			.map(e -> new ToolCardElement(driver, e))
			.toList();
	}

	boolean showsThinking() {
		return !root.findElements(By.cssSelector("details.thinking")).isEmpty()
				&& root.findElement(By.cssSelector("details.thinking")).isDisplayed();
	}

	boolean isThinkingOpen() {
		return "true".equals(root.findElement(By.cssSelector("details.thinking")).getDomProperty("open"));
	}

	/** The thinking text as shown (empty while the section is collapsed). */
	String thinkingText() {
		return Dom.result(
				((JavascriptExecutor) driver).executeScript(
						"return arguments[0].querySelector('details.thinking .thinking-body').innerText;", root),
				String.class, "the thinking text");
	}

	void toggleThinking() {
		root.findElement(By.cssSelector("details.thinking > summary")).click();
	}

	/**
	 * Hovers the bubble, as a user does to reveal its actions, and clicks the one named
	 * {@code action}.
	 */
	void clickAction(String action) {
		// the buttons show while the pointer is over the bubble: hover until this one is
		// there
		Dom.waitFor(new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class),
				d -> {
					new Actions(d).moveToElement(root).perform();
					WebElement button = root.findElement(By.cssSelector(".actions ." + action));
					return button.isDisplayed() ? button : null;
				})
			.click();
	}

	/** The label of one of the bubble's header buttons. */
	String actionLabel(String action) {
		return root.findElement(By.cssSelector(".actions ." + action)).getText();
	}

	/**
	 * Edits this prompt in place and sends it again. (The bubble that holds the editor is
	 * this message's made anew, a settled one being markup only: it is found by the
	 * message's id in the same list.)
	 */
	void editTo(String text) {
		WebElement list = root.findElement(By.xpath(".."));
		String bubble = ".message[data-message-id='" + Dom.attribute(root, "data-message-id") + "'] ";
		clickAction("edit-prompt");
		WebElement area = Dom.waitFor(driver, Duration.ofSeconds(10),
				d -> list.findElements(By.cssSelector(bubble + ".edit-text textarea"))
					.stream()
					.findFirst()
					.orElse(null));
		area.clear();
		area.sendKeys(text);
		list.findElement(By.cssSelector(bubble + "vaadin-button.send-edit")).click();
	}

	/** "2 / 3", or empty when the message has no other versions. */
	String versionLabel() {
		return root.findElements(By.cssSelector(".version-label"))
			.stream()
			.map(WebElement::getText)
			.findFirst()
			.orElse("");
	}

	void previousVersion() {
		root.findElement(By.cssSelector(".previous-version")).click();
	}

	/** Clicks the copy button of the bubble's first code block. */
	void copyFirstCodeBlock() {
		new Actions(driver).moveToElement(root).perform();
		root.findElement(By.cssSelector(".copy-code")).click();
	}

	String stats() {
		return root.findElement(By.cssSelector(".stats")).getText();
	}

	private long count(String selector) {
		return root.findElements(By.cssSelector(selector)).size();
	}

	/** Tokens highlight.js coloured (keywords, strings…) in the bubble's code blocks. */
	long highlightedTokens() {
		return count("pre code [class^='hljs-'], pre code [class*=' hljs-']");
	}

	/** The languages the code blocks say they are in. */
	List<String> codeLanguages() {
		return root.findElements(By.cssSelector(".code-lang")).stream().map(WebElement::getText).toList();
	}

	/** Formulas KaTeX typeset. */
	long typesetFormulas() {
		return count(".katex");
	}

	/** Diagrams drawn (an svg in place of a Mermaid code block). */
	long diagrams() {
		return count(".mermaid-diagram svg");
	}

	/**
	 * Whether a Mermaid block shows its code (while it streams, or when it cannot be
	 * drawn).
	 */
	boolean showsDiagramCode() {
		return root.findElements(By.cssSelector("code.language-mermaid")).stream().anyMatch(WebElement::isDisplayed);
	}

	String diagramError() {
		return root.findElements(By.cssSelector(".mermaid-error"))
			.stream()
			.map(WebElement::getText)
			.findFirst()
			.orElse("");
	}

}
