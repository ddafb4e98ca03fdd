package dev.streamchat.ui.browser;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operating system's dark setting, and the user's own light/dark/system choice,
 * remembered.
 */
class DarkModeBrowserTest extends BrowserTestSupport {

	static final String ANSWER_WITH_CODE = """
			Here is the loop, with a [link](https://example.org):

			```java
			for (int i = 0; i < 3; i++) {
			    System.out.println("line " + i); // print it
			}
			```

			> A quote, and some `inline code`.
			""";

	@AfterEach
	void systemSchemeAgain() {
		Device.prefersColorScheme(driver, "");
		// the choice is stored for the shared test user: leave it as found
		AppFrame frame = new AppFrame(driver);
		if (!driver.findElements(By.id("color-scheme")).isEmpty() && !"System theme".equals(frame.colorSchemeShown())) {
			frame.chooseColorScheme("System theme");
			new ChatPage(driver).waitUntil(() -> "light-dark".equals(frame.themeAttribute()));
		}
	}

	@Test
	void aDarkSystemSettingGivesADarkPageWithReadableTextAndCode() throws Exception {
		fake.when("dark code", Reply.chunks(ANSWER_WITH_CODE));
		Device.prefersColorScheme(driver, "dark");
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();
		pane.send("dark code please");
		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());

		Accessibility a11y = new Accessibility(driver);
		WebElement paragraph = pane.root().findElement(By.cssSelector(".message.assistant .markdown p"));
		WebElement code = pane.root().findElement(By.cssSelector(".message.assistant .markdown pre code"));
		WebElement quote = pane.root().findElement(By.cssSelector(".message.assistant .markdown blockquote"));
		Accessibility.Contrast text = a11y.contrast(paragraph);
		assertThat(text.backgroundLuminance()).as("a dark background: %s", text).isLessThan(0.1);
		assertThat(text.ratio()).as("body text %s", text).isGreaterThanOrEqualTo(4.5);
		assertThat(a11y.contrast(code).ratio()).as("code %s", a11y.contrast(code)).isGreaterThanOrEqualTo(4.5);
		assertThat(a11y.contrast(quote).ratio()).as("quote %s", a11y.contrast(quote)).isGreaterThanOrEqualTo(4.5);
		Path screenshot = Path.of("target", "screenshots", "dark-mode.png");
		Files.createDirectories(screenshot.getParent());
		Files.write(screenshot, driver.getScreenshotAs(OutputType.BYTES));

		Device.prefersColorScheme(driver, "light");
		page.waitUntil(() -> a11y.contrast(paragraph).backgroundLuminance() > 0.8);
		assertThat(a11y.contrast(paragraph).ratio()).as("light body text").isGreaterThanOrEqualTo(4.5);
		assertThat(a11y.contrast(code).ratio()).as("light code %s", a11y.contrast(code)).isGreaterThanOrEqualTo(4.5);
		assertThat(a11y.contrast(quote).ratio()).as("light quote").isGreaterThanOrEqualTo(4.5);
	}

	@Test
	void aChosenSchemeWinsOverTheSystemsAndIsSentWithThePageNextTime() {
		Device.prefersColorScheme(driver, "dark");
		ChatPage page = ChatPage.open(driver, baseUrl());
		AppFrame frame = new AppFrame(driver);
		Accessibility a11y = new Accessibility(driver);
		WebElement header = driver.findElement(By.cssSelector(".app-title"));
		assertThat(frame.themeAttributeAsSent()).as("follows the system until chosen").isEqualTo("light-dark");
		assertThat(a11y.contrast(header).backgroundLuminance()).isLessThan(0.1);

		frame.chooseColorScheme("Light");
		page.waitUntil(
				() -> a11y.contrast(driver.findElement(By.cssSelector(".app-title"))).backgroundLuminance() > 0.8);

		// a new page load: the server sends it light, before any script runs, so no dark
		// flash
		assertThat(frame.themeAttributeAsSent()).isEqualTo("light");
		page = ChatPage.open(driver, baseUrl());
		assertThat(frame.colorSchemeShown()).isEqualTo("Light");
		assertThat(a11y.contrast(driver.findElement(By.cssSelector(".app-title"))).backgroundLuminance())
			.isGreaterThan(0.8);

		Device.prefersColorScheme(driver, "light");
		frame.chooseColorScheme("Dark");
		page.waitUntil(
				() -> a11y.contrast(driver.findElement(By.cssSelector(".app-title"))).backgroundLuminance() < 0.1);
		assertThat(frame.themeAttributeAsSent()).isEqualTo("dark");
	}

}
