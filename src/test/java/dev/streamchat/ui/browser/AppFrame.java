package dev.streamchat.ui.browser;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Page object of what surrounds the panes: the header (drawer button, colour scheme,
 * shortcuts), the side list as a drawer, and the pane switcher of a narrow screen.
 */
final class AppFrame {

	private final WebDriver driver;

	AppFrame(WebDriver driver) {
		this.driver = driver;
	}

	void toggleDrawer() {
		driver.findElement(By.id("menu")).click();
	}

	/**
	 * Whether the side list is on screen: laid out, visible, and not slid out of the
	 * viewport.
	 */
	boolean showsConversationList() {
		return js(Boolean.class, "whether the side list is on screen", """
				const h = document.querySelector('.history');
				const r = h.getBoundingClientRect();
				return getComputedStyle(h).visibility === 'visible' && r.width > 0 && r.right > 1
				    && r.left < window.innerWidth;""");
	}

	/** The id of the pane a narrow screen shows. */
	String shownPaneId() {
		return js(String.class, "the pane shown", """
				const shown = [...document.querySelectorAll('.pane')].filter(p => p.getClientRects().length > 0);
				return shown.length === 1 ? shown[0].dataset.paneId : 'panes shown: ' + shown.length;""");
	}

	/** Picks a pane in the switcher by its title. */
	void switchTo(String title) {
		pickInSelect(driver.findElement(By.cssSelector("vaadin-select.pane-select")), title);
	}

	/** Picks "System theme", "Light" or "Dark". */
	void chooseColorScheme(String label) {
		pickInSelect(driver.findElement(By.id("color-scheme")), label);
	}

	String colorSchemeShown() {
		return js(String.class, "the colour scheme shown", """
				const select = document.querySelector('#color-scheme');
				const button = select.querySelector('vaadin-select-value-button')
				    || (select.shadowRoot && select.shadowRoot.querySelector('vaadin-select-value-button'));
				return button ? button.innerText.trim() : '';""");
	}

	/**
	 * The theme attribute of the page's root element: what Lumo's colours follow; null
	 * when it has none.
	 */
	@Nullable String themeAttribute() {
		return (String) ((JavascriptExecutor) driver)
			.executeScript("return document.documentElement.getAttribute('theme');");
	}

	/**
	 * The theme attribute in the page as the server sends it, before any script ran
	 * (fetched with this session).
	 */
	String themeAttributeAsSent() {
		return Dom.result(((JavascriptExecutor) driver).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch('/', {credentials: 'same-origin'}).then(r => r.text()).then(html => {
				  const m = html.match(/<html[^>]*\\stheme="([^"]*)"/);
				  done(m ? m[1] : 'none');
				}, e => done('error ' + e));"""), String.class, "the theme attribute as sent");
	}

	/**
	 * Starts a new chat from the switcher of a narrow screen, as a phone user does;
	 * returns its pane.
	 */
	PaneElement newChatOnPhone(ChatPage page) {
		int before = page.panes().size();
		driver.findElement(By.cssSelector("vaadin-button.switcher-new")).click();
		page.waitUntil(() -> page.panes().size() == before + 1);
		return page.panes().getLast();
	}

	/**
	 * Waits until the page's keyboard shortcuts (frontend/shortcuts.js) are installed.
	 */
	private void shortcutsReady() {
		new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Boolean.TRUE
			.equals(((JavascriptExecutor) d).executeScript("return window.__streamchatShortcuts === true;")));
	}

	/** Presses keys on whatever has focus, as a user types them. */
	void press(CharSequence... keys) {
		shortcutsReady();
		new Actions(driver).sendKeys(keys).perform();
	}

	/** Presses a key with Ctrl (or Shift too) held, as a user does. */
	void pressWithCtrl(boolean shift, String key) {
		shortcutsReady();
		Actions actions = new Actions(driver).keyDown(Keys.CONTROL);
		if (shift) {
			actions = actions.keyDown(Keys.SHIFT);
		}
		actions = actions.sendKeys(key);
		if (shift) {
			actions = actions.keyUp(Keys.SHIFT);
		}
		actions.keyUp(Keys.CONTROL).perform();
	}

	/**
	 * What has the keyboard focus, by its class names (the field's own element for a
	 * Vaadin field).
	 */
	String focusedClasses() {
		return js(String.class, "what has the focus", """
				let el = document.activeElement;
				const field = el && el.closest && el.closest('vaadin-text-area, vaadin-text-field');
				el = field || el;
				return el ? (el.tagName.toLowerCase() + ' ' + el.className) : '';""");
	}

	/**
	 * The text of the keyboard-shortcut sheet, once open (a TimeoutException if it does
	 * not open).
	 */
	String shortcutSheetText() {
		return Dom.waitFor(driver, Duration.ofSeconds(10), d -> {
			List<WebElement> sheets = d.findElements(By.cssSelector(".shortcut-list"));
			return sheets.isEmpty() || !sheets.getFirst().isDisplayed() ? null : sheets.getFirst().getText();
		});
	}

	/**
	 * Visible controls (buttons, links, pickers, fields' buttons) smaller than
	 * {@code size} px either way, described.
	 */
	@SuppressWarnings("unchecked")
	List<String> controlsSmallerThan(int size) {
		return js(List.class, "the small controls",
				"""
						const size = arguments[0];
						const small = [];
						for (const el of document.querySelectorAll(
						    '.chat-view button, .chat-view a[href], .chat-view vaadin-button, .chat-view vaadin-select, .chat-view summary')) {
						  const r = el.getBoundingClientRect();
						  const style = getComputedStyle(el);
						  if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
						  if (r.right <= 0 || r.left >= window.innerWidth) continue;
						  if (el.closest('.visually-hidden')) continue;
						  if (r.width < size || r.height < size) {
						    small.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + (el.innerText || '').trim().slice(0, 20)
						        + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
						  }
						}
						return small;""",
				size);
	}

	/**
	 * How wide the page is laid out, against the viewport: equal when nothing overflows
	 * sideways.
	 */
	long pageWidth() {
		return js(Number.class, "the page's width",
				"return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);")
			.longValue();
	}

	long viewportWidth() {
		return js(Number.class, "the viewport's width", "return window.innerWidth;").longValue();
	}

	/** Whether the element is wholly inside the visible part of the page. */
	boolean fullyVisible(WebElement element) {
		return js(Boolean.class, "whether " + element + " is fully visible", """
				const r = arguments[0].getBoundingClientRect();
				const vv = window.visualViewport;
				const height = vv ? vv.height : window.innerHeight;
				const width = vv ? vv.width : window.innerWidth;
				return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= height + 0.5
				    && r.right <= width + 0.5;""", element);
	}

	private void pickInSelect(WebElement select, String label) {
		select.click();
		WebElement item = Dom.waitFor(driver, Duration.ofSeconds(10),
				d -> d.findElements(By.cssSelector("vaadin-select-item"))
					.stream()
					.filter(e -> e.isDisplayed() && e.getText().trim().equals(label))
					.findFirst()
					.orElse(null));
		item.click();
	}

	/**
	 * Runs a script that must return a {@code type}; {@code what} it reads names a
	 * failure.
	 */
	private <T> T js(Class<T> type, String what, String script, Object... args) {
		return Dom.result(((JavascriptExecutor) driver).executeScript(script, args), type, what);
	}

}
