package dev.streamchat.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamchat.ui.browser.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (the tests' {@link Browser}: Debian's, with its chromedriver) and
 * its tabs. Every tab gets the page probe ({@code bench/page-probe.js}) before the page's
 * own scripts run.
 */
final class BrowserTabs implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final ChromeDriver driver;

	private final String home;

	private final String probe;

	/** The tab the driver talks to (its handle), as this class last switched. */
	private String current;

	BrowserTabs() throws IOException {
		try (InputStream in = BrowserTabs.class.getResourceAsStream("/bench/page-probe.js")) {
			probe = "if (!window.__bench) " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		// its options keep every tab running at full speed: none is throttled as a
		// background tab
		driver = TRACE.isEmpty() ? Browser.start() : tracingBrowser();
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
		home = driver.getWindowHandle();
		current = home;
	}

	/**
	 * -Dbench.trace=s3r: the scenario whose DevTools timeline is written to
	 * target/bench/trace-&lt;scenario&gt;-&lt;strategy&gt;.json (one scenario of one
	 * strategy: chromedriver ends its trace when it is first read).
	 */
	static final List<String> TRACE = List.of(System.getProperty("bench.trace", "").split(","))
		.stream()
		.filter(s -> !s.isBlank())
		.toList();

	/**
	 * The tests' browser options plus chromedriver's trace in the performance log: the
	 * timeline (style recalc with its element count, layout with its dirty and total
	 * objects, the script stack that forced either), for finding a stutter's cause.
	 */
	private static ChromeDriver tracingBrowser() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(new File("/usr/bin/chromium"));
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
				"--disable-quic", "--window-size=1400,900", "--disable-background-timer-throttling",
				"--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows");
		options.setCapability("goog:loggingPrefs", Map.of("performance", "ALL"));
		options.setExperimentalOption("perfLoggingPrefs",
				Map.of("enableNetwork", false, "enablePage", false, "traceCategories",
						"devtools.timeline,disabled-by-default-devtools.timeline,"
								+ "disabled-by-default-devtools.timeline.stack,v8.execute,blink.user_timing"));
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File("/usr/bin/chromedriver"))
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

	/**
	 * Writes the trace as a DevTools trace file: everything since the browser started
	 * (chromedriver ends its trace when it is first read, so only one scenario is
	 * traced).
	 */
	void writeTrace(Path file) throws IOException {
		StringBuilder events = new StringBuilder("{\"traceEvents\":[");
		boolean first = true;
		for (var entry : driver.manage().logs().get("performance")) {
			JsonNode message = JSON.readTree(entry.getMessage()).path("message");
			if (!"Tracing.dataCollected".equals(message.path("method").asText())) {
				continue;
			}
			// chromedriver gives one trace event per entry
			events.append(first ? "" : ",\n").append(message.path("params"));
			first = false;
		}
		Files.createDirectories(file.getParent());
		Files.writeString(file, events.append("]}"));
	}

	/**
	 * Opens {@code url} in a new tab and waits until it shows {@code panes} panes;
	 * returns the tab's handle.
	 */
	String open(String url, int panes) {
		return open(url, panes, AppProcess.USER);
	}

	/**
	 * As {@link #open(String, int)}, signing in as {@code user} if the tab's host has no
	 * session yet.
	 */
	String open(String url, int panes, String user) {
		driver.switchTo().newWindow(WindowType.TAB);
		driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", probe));
		driver.get(url);
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
		wait.pollingEvery(Duration.ofMillis(50));
		wait.until(d -> !d.findElements(By.cssSelector(".chat-view, vaadin-login-form")).isEmpty());
		if (!driver.findElements(By.cssSelector("vaadin-login-form")).isEmpty()) {
			// the first tab of each host signs in; later tabs share the session cookie
			WebElement form = driver.findElement(By.cssSelector("vaadin-login-form"));
			form.findElement(By.cssSelector("input[name='username']")).sendKeys(user);
			form.findElement(By.cssSelector("input[name='password']")).sendKeys(AppProcess.PASSWORD);
			form.findElement(By.cssSelector("vaadin-button[slot='submit'], vaadin-button[theme~='submit']")).click();
		}
		// panes < 0: a fresh app's first page, with however many panes it opens
		wait.until(d -> (panes < 0 ? !d.findElements(By.cssSelector(".pane .prompt textarea")).isEmpty()
				: d.findElements(By.cssSelector(".pane")).size() == panes)
				&& Boolean.TRUE.equals(driver.executeScript("return !!window.Vaadin && !!window.__bench;")));
		current = driver.getWindowHandle();
		return current;
	}

	/**
	 * Opens the minimal Vaadin app's page ({@code dev.streamchat.bench.minimal}) in a new
	 * tab and waits until its input is there; returns the tab's handle.
	 */
	String openMinimal(String url) {
		driver.switchTo().newWindow(WindowType.TAB);
		driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", probe));
		driver.get(url);
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
		wait.pollingEvery(Duration.ofMillis(50));
		wait.until(d -> !d.findElements(By.cssSelector(MINIMAL_PROMPT)).isEmpty()
				&& Boolean.TRUE.equals(driver.executeScript("return !!window.Vaadin && !!window.__bench;")));
		current = driver.getWindowHandle();
		return current;
	}

	static final String MINIMAL_PROMPT = "vaadin-message-input textarea";

	static final String OUR_PROMPT = ".pane .prompt textarea";

	/**
	 * Types {@code prompt} into the tab's (first) prompt field and presses Enter, as a
	 * user sends; the probe stamps the Enter key's press ({@code enters}).
	 */
	void send(String tab, String field, String prompt) {
		focus(tab);
		WebElement textarea = driver.findElement(By.cssSelector(field));
		textarea.click();
		textarea.sendKeys(prompt);
		textarea.sendKeys(Keys.ENTER);
	}

	/**
	 * Whether the tab shows no answer streaming (the app marks one {@code aria-busy}).
	 */
	boolean idle(String tab) {
		focus(tab);
		return Boolean.TRUE.equals(driver.executeScript("return !document.querySelector('[aria-busy=\"true\"]');"));
	}

	/**
	 * Forgets the tab's markers and counters, so the next read covers only what follows.
	 */
	void reset(String tab) {
		focus(tab);
		driver.executeScript(
				"const b = window.__bench; b.seen = {}; b.pushes = 0; b.pushBytes = 0; b.longest = 0; b.longtasks = 0;"
						+ " b.enters = []; b.frameGap = 0; b.lastFrame = 0; b.worstFrames = []; b.resetAt = performance.now();"
						// where a trace's scenario begins
						+ " performance.mark('bench-reset');");
	}

	/**
	 * What the tab's probe recorded: seen (marker → epoch ms), pushes, pushBytes,
	 * longest, longtasks, enters (epoch ms of each Enter pressed), frameGap (the longest
	 * time between two animation frames, ms).
	 */
	JsonNode read(String tab) throws IOException {
		focus(tab);
		return JSON.readTree((String) driver.executeScript("return JSON.stringify(window.__bench);"));
	}

	/**
	 * Makes {@code tab} the one the driver talks to, unless it is already: a switch waits
	 * for the tab's main thread, which a page re-rendering a long answer (the minimal
	 * app) can hold for seconds.
	 */
	private void focus(String tab) {
		if (!tab.equals(current)) {
			driver.switchTo().window(tab);
			current = tab;
		}
	}

	void close(String tab) {
		driver.switchTo().window(tab).close();
		driver.switchTo().window(home);
		current = home;
	}

	void closeAll() {
		for (String handle : new ArrayList<>(driver.getWindowHandles())) {
			if (!handle.equals(home)) {
				driver.switchTo().window(handle).close();
			}
		}
		driver.switchTo().window(home);
		current = home;
	}

	List<String> tabs() {
		List<String> tabs = new ArrayList<>(driver.getWindowHandles());
		tabs.remove(home);
		return tabs;
	}

	String browserVersion() {
		return driver.getCapabilities().getBrowserVersion();
	}

	@Override
	public void close() {
		driver.quit();
	}

}
