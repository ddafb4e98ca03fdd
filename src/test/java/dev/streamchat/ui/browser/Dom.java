package dev.streamchat.ui.browser;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Reads what Selenium may hand back as null (an attribute, a script's result, a wait's
 * lookup) for the page objects, so that a page without the expected value fails the test
 * with what was expected rather than with a bare NullPointerException further on.
 */
final class Dom {

	private Dom() {
	}

	/** An attribute the element must have. */
	static String attribute(WebElement element, String name) {
		return Objects.requireNonNull(element.getDomAttribute(name),
				() -> "expected a " + name + " attribute on <" + element.getTagName() + ">");
	}

	/**
	 * Whether the element has the class; an element without a class attribute has none.
	 */
	static boolean hasClass(WebElement element, String name) {
		String classes = element.getDomAttribute("class");
		return classes != null && Arrays.asList(classes.trim().split("\\s+")).contains(name);
	}

	/**
	 * What a script returned, which must be there and of this type.
	 * @param what what the script reads, for the failure message
	 */
	static <T> T result(@Nullable Object value, Class<T> type, String what) {
		return type.cast(Objects.requireNonNull(value, () -> "the page returned nothing for " + what));
	}

	/** A value of a map a script returned, which must be there and of this type. */
	static <T> T entry(Map<String, ?> map, String key, Class<T> type) {
		return type.cast(Objects.requireNonNull(map.get(key), () -> "the page's result has no " + key + ": " + map));
	}

	/**
	 * Waits until {@code lookup} finds something (null: not yet) and returns it; a
	 * TimeoutException after {@code timeout}.
	 */
	static <V> V waitFor(WebDriver driver, Duration timeout, Lookup<V> lookup) {
		return waitFor(new WebDriverWait(driver, timeout), lookup);
	}

	/**
	 * As {@link #waitFor(WebDriver, Duration, Lookup)}, with a wait of one's own (one
	 * that ignores stale elements, say).
	 */
	static <V> V waitFor(Wait<WebDriver> wait, Lookup<V> lookup) {
		// Selenium's until polls while the function gives null and returns only what it
		// found (it throws when time is up); its own ExpectedCondition, whose result may
		// be null, says so
		ExpectedCondition<@Nullable V> condition = lookup::find;
		return wait.until(condition);
	}

	/** Looks for something in the page; null while it is not there yet. */
	@FunctionalInterface
	interface Lookup<V> {

		@Nullable V find(WebDriver driver);

	}

}
