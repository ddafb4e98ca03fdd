package dev.streamchat.ui.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * What assistive technology and a careful eye check, measured in the page: axe-core's
 * rules, the contrast of text against what is behind it, and what live regions announce.
 */
final class Accessibility {

	private final WebDriver driver;

	Accessibility(WebDriver driver) {
		this.driver = driver;
	}

	/**
	 * One rule axe-core found broken: its id, impact ("minor" … "critical"), how many
	 * elements, and some of them.
	 */
	record Violation(String id, String impact, long count, String help, List<String> targets) {

		boolean seriousOrWorse() {
			return "serious".equals(impact) || "critical".equals(impact);
		}

		@Override
		public String toString() {
			return impact + " " + id + " ×" + count + " (" + help + ") " + targets;
		}
	}

	/** Runs axe-core (the pinned copy from the test classpath) on the whole page. */
	@SuppressWarnings("unchecked")
	List<Violation> axe() {
		JavascriptExecutor js = (JavascriptExecutor) driver;
		if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object';"))) {
			js.executeScript(resource("/axe.min.js"));
		}
		List<Map<String, Object>> found = Dom.result(js.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({
				  id: v.id, impact: v.impact || 'minor', count: v.nodes.length, help: v.help,
				  targets: v.nodes.slice(0, 4).map(n => n.target.join(' '))}))), e => done([{id: 'axe-error',
				  impact: 'critical', count: 1, help: String(e), targets: []}]));"""), List.class,
				"axe-core's violations");
		return found.stream()
			.map(v -> new Violation(Dom.entry(v, "id", String.class), Dom.entry(v, "impact", String.class),
					Dom.entry(v, "count", Number.class).longValue(), Dom.entry(v, "help", String.class),
					(List<String>) Dom.entry(v, "targets", List.class)))
			.toList();
	}

	/** The contrast of an element's text against what is painted behind it. */
	record Contrast(String text, String background, double ratio, double backgroundLuminance) {
	}

	@SuppressWarnings("unchecked")
	Contrast contrast(WebElement element) {
		Map<String, Object> c = Dom.result(
				((JavascriptExecutor) driver).executeScript(resource("/browser/contrast.js"), element), Map.class,
				"the contrast of " + element);
		return new Contrast(Dom.entry(c, "text", String.class), Dom.entry(c, "background", String.class),
				Dom.entry(c, "ratio", Number.class).doubleValue(),
				Dom.entry(c, "luminance", Number.class).doubleValue());
	}

	/**
	 * Starts recording a pane's live regions: every time their text changes (one entry
	 * per batch of DOM changes, as a screen reader would see it), the region's role and
	 * its new text.
	 */
	void recordAnnouncements(WebElement pane) {
		((JavascriptExecutor) driver).executeScript("""
				const pane = arguments[0];
				pane.__announced = [];
				for (const region of pane.querySelectorAll('[aria-live]')) {
				  new MutationObserver(() => pane.__announced.push(region.getAttribute('role') + ': '
				      + region.textContent)).observe(region, {childList: true, subtree: true, characterData: true});
				}""", pane);
	}

	@SuppressWarnings("unchecked")
	List<String> announcements(WebElement pane) {
		return Dom.result(((JavascriptExecutor) driver).executeScript("return arguments[0].__announced;", pane),
				List.class, "the pane's announcements (recorded since recordAnnouncements)");
	}

	private static String resource(String name) {
		try (InputStream in = Accessibility.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException(name + " is not on the test classpath");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
