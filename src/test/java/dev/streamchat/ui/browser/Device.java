package dev.streamchat.ui.browser;

import java.util.List;
import java.util.Map;

import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What the browser pretends to be, through the DevTools protocol: a phone's screen, a
 * dark system setting.
 */
final class Device {

	static final int PHONE_WIDTH = 390;
	static final int PHONE_HEIGHT = 844;

	private Device() {
	}

	/** A 390 × 844 phone (CSS pixels), as the issue measured. */
	static void phone(ChromeDriver driver) {
		screen(driver, PHONE_WIDTH, PHONE_HEIGHT);
	}

	/**
	 * A phone-wide screen of the given height (e.g. what is left above an on-screen
	 * keyboard).
	 */
	static void screen(ChromeDriver driver, int width, int height) {
		driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", width, "height", height, "deviceScaleFactor", 3, "mobile", true));
	}

	/** Back to the window's own size. */
	static void desktop(ChromeDriver driver) {
		driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
	}

	/**
	 * The operating system's colour setting as the page sees it: "dark", "light", or ""
	 * for the browser's own.
	 */
	static void prefersColorScheme(ChromeDriver driver, String scheme) {
		driver.executeCdpCommand("Emulation.setEmulatedMedia",
				Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
	}

}
