package dev.streamchat.ui.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium with its matching chromedriver, both from apt
 * (scripts/install-chromium.sh); nothing is downloaded by Selenium itself.
 */
public final class Browser {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private Browser() {
	}

	/**
	 * Sets a cookie for {@code url}'s site through DevTools, without loading any of its
	 * pages (Selenium's {@code addCookie} needs a page of the site loaded first, and that
	 * page's own requests, its favicon's for one, may start a session that races with the
	 * next page's).
	 */
	public static void setCookie(ChromeDriver driver, String url, String name, String value) {
		driver.executeCdpCommand("Network.setCookie",
				Map.of("url", url, "name", name, "value", value, "path", "/", "httpOnly", true, "sameSite", "Lax"));
	}

	public static ChromeDriver start() {
		return start(false);
	}

	/**
	 * @param recordNetwork keep the performance log, which has every websocket frame
	 */
	static ChromeDriver start(boolean recordNetwork) {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			throw new IllegalStateException(
					"Chromium is missing: run scripts/install-chromium.sh (the build runs it too)");
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
				"--disable-quic", "--window-size=1400,900",
				// background tabs must keep working: a second tab watches a stream too
				"--disable-background-timer-throttling", "--disable-renderer-backgrounding",
				"--disable-backgrounding-occluded-windows");
		if (recordNetwork) {
			options.setCapability("goog:loggingPrefs", Map.of("performance", "ALL"));
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
		return driver;
	}

}
