package dev.streamchat.ui.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** Page object of a tool card inside an answer. */
final class ToolCardElement {

	private final WebDriver driver;

	private final WebElement root;

	ToolCardElement(WebDriver driver, WebElement root) {
		this.driver = driver;
		this.root = root;
	}

	String name() {
		return root.findElement(By.cssSelector(".tool-name")).getText();
	}

	String arguments() {
		return root.findElement(By.cssSelector(".tool-args")).getText();
	}

	String status() {
		return root.findElement(By.cssSelector(".tool-status")).getText();
	}

	String result() {
		return root.findElement(By.cssSelector(".tool-result")).getText();
	}

	/** Whether a spinner is drawn and turning. */
	boolean showsSpinner() {
		return Dom.result(((JavascriptExecutor) driver).executeScript("""
				const s = getComputedStyle(arguments[0].querySelector('.tool-spinner'));
				return s.display !== 'none' && s.animationName === 'tool-spin';""", root), Boolean.class,
				"whether a spinner turns");
	}

}
