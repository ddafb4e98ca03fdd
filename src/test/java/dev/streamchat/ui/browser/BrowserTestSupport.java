package dev.streamchat.ui.browser;

import java.util.ArrayList;
import java.util.List;

import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * One headless Chromium per test class against the whole app; each test starts with one
 * tab and a reset fake.
 */
@AppTest
abstract class BrowserTestSupport {

	static ChromeDriver driver;

	@LocalServerPort
	int port;

	@Autowired
	FakeGemini fake;

	@BeforeAll
	static void startBrowser() {
		driver = Browser.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@BeforeEach
	void oneTabAndAFreshFake() {
		fake.reset();
		List<String> handles = new ArrayList<>(driver.getWindowHandles());
		for (int i = 1; i < handles.size(); i++) {
			driver.switchTo().window(handles.get(i)).close();
		}
		driver.switchTo().window(handles.getFirst());
	}

	String baseUrl() {
		return "http://localhost:" + port;
	}

	/** A new pane, open in two tabs of the browser; the first tab is the current one. */
	record TwoTabs(String paneId, ChatPage firstPage, String firstTab, ChatPage secondPage, String secondTab) {
	}

	TwoTabs newPaneInTwoTabs() {
		ChatPage first = ChatPage.open(driver, baseUrl());
		String paneId = first.addPane().paneId();
		String firstTab = driver.getWindowHandle();
		driver.switchTo().newWindow(WindowType.TAB);
		ChatPage second = ChatPage.open(driver, baseUrl());
		String secondTab = driver.getWindowHandle();
		driver.switchTo().window(firstTab);
		return new TwoTabs(paneId, first, firstTab, second, secondTab);
	}

}
