package dev.streamchat.ui.browser;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import javax.imageio.ImageIO;

import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Code, math and diagrams in answers, drawn by the browser libraries once their block has
 * settled.
 */
class RichContentBrowserTest extends BrowserTestSupport {

	@Test
	void codeIsHighlightedUnderItsLanguageAndMathIsTypesetButPricesStayText() {
		fake.when("rich",
				Reply
					.chunks("Prices: it costs $5 and $10.\n\n", "Euler: $e^{i\\pi} + 1 = 0$ and \\(a_1 + a_2\\).\n\n",
							"$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$\n\n",
							"```java\npublic class Hello {\n    static String greet() { return \"hi\"; }\n}\n```\n\n",
							"```\nSELECT name FROM users WHERE id = 1;\n```\n\nDone.")
					.every(Duration.ofMillis(40)));
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();

		pane.send("rich content please");

		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());
		MessageElement reply = pane.lastReply();
		page.waitUntil(() -> reply.typesetFormulas() == 3 && reply.highlightedTokens() > 0);
		assertThat(reply.text()).contains("it costs $5 and $10.");
		assertThat(reply.codeLanguages()).hasSize(2).first().isEqualTo("java");
		assertThat(reply.codeLanguages().get(1)).as("found by highlight.js").isNotEmpty();
		assertThat(reply.text()).as("typeset, not the TeX source").doesNotContain("$e^").doesNotContain("$$");
	}

	@Test
	void aDiagramIsDrawnOnlyOnceItsFenceClosesAndABrokenOneShowsItsCodeAndAnError() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		FakeGemini.Stream script = Reply
			.chunks("A flow:\n\n", "```mermaid\ngraph TD\n", "  A[Ask] --> B[Answer]\n", "  B --> C[Done]\n",
					"```\n\nAnd a broken one:\n\n", "```mermaid\ngraph TD\n  A -->\n```\n")
			.every(Duration.ofMillis(40))
			.holdAfter(4, release);
		fake.when("diagram", script);
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();

		pane.send("a diagram please");

		page.waitUntil(() -> pane.hasReply() && pane.lastReply().text().contains("B --> C"));
		MessageElement reply = pane.lastReply();
		assertThat(reply.isStreaming()).isTrue();
		assertThat(reply.showsDiagramCode()).as("the code while the fence is open").isTrue();
		assertThat(reply.diagrams()).as("no diagram while the fence is open").isZero();

		release.countDown();
		page.waitUntil(() -> !reply.isStreaming() && reply.diagrams() == 1 && !reply.diagramError().isEmpty());
		assertThat(reply.diagramError()).startsWith("This diagram could not be drawn");
		assertThat(reply.showsDiagramCode()).as("the broken diagram's code").isTrue();
	}

	@Test
	void anAttachedImageShowsAsAChipGoesToTheModelAndStaysInTheSentMessage() throws Exception {
		BufferedImage dot = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
		dot.setRGB(1, 1, 0xFF0000);
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		ImageIO.write(dot, "png", png);
		fake.when("this picture", Reply.chunks("A red ", "dot."));
		ChatPage page = ChatPage.open(driver, baseUrl());
		PaneElement pane = page.addPane();

		pane.attach("dot.png", "image/png", png.toByteArray());

		page.waitUntil(
				() -> pane.attachmentChips().size() == 1 && Dom.hasClass(pane.attachmentChips().getFirst(), "ready"));
		WebElement chip = pane.attachmentChips().getFirst();
		assertThat(chip.getText()).contains("dot.png").contains(png.size() + " bytes");
		assertThat(chip.findElement(By.cssSelector("img")).getDomProperty("naturalWidth")).as("a thumbnail")
			.isEqualTo("3");
		byte[] program = new byte[64];
		program[0] = 'M';
		program[1] = 'Z';
		pane.attach("evil.png", "image/png", program);
		page.waitUntil(
				() -> pane.attachmentChips().size() == 2 && Dom.hasClass(pane.attachmentChips().get(1), "failed"));
		assertThat(pane.attachmentChips().get(1).getText()).as("the reason, next to the chip")
			.contains("evil.png cannot be attached")
			.contains("Windows program");

		pane.send("What is in this picture?");

		page.waitUntil(() -> pane.hasReply() && !pane.lastReply().isStreaming());
		assertThat(pane.attachmentChips()).as("the tray is empty after sending").isEmpty();
		WebElement sent = pane.root().findElement(By.cssSelector(".message.user .attachment-link"));
		assertThat(sent.getDomAttribute("href")).matches("attachments/\\d+");
		assertThat(sent.getText()).contains("dot.png");
		WebElement thumbnail = sent.findElement(By.cssSelector("img"));
		page.waitUntil(() -> "3".equals(thumbnail.getDomProperty("naturalWidth")));
		assertThat(((JavascriptExecutor) driver).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(b.byteLength));""",
				sent.getDomProperty("href")))
			.as("the owner-checked handler serves it whole")
			.isEqualTo((long) png.size());
		FakeGemini.RecordedRequest request = fake.requests().getLast();
		assertThat(request.inlineData()).as("the refused file was not sent").singleElement().satisfies(part -> {
			assertThat(part.mimeType()).isEqualTo("image/png");
			assertThat(part.bytes()).isEqualTo(png.toByteArray());
		});
	}

	@Test
	void aPromptWithFilesSentInOneTabShowsItsFilesInTheUsersOtherTabLive() throws Exception {
		BufferedImage dot = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		ImageIO.write(dot, "png", png);
		fake.when("two files", Reply.chunks("Got ", "them."));
		// one pane only: alice's panes from earlier tests in this JVM stay open otherwise
		ChatPage first = ChatPage.open(driver, baseUrl());
		first.keepOnly(first.addPane());
		TwoTabs tabs = newPaneInTwoTabs();
		PaneElement sending = tabs.firstPage().pane(tabs.paneId());

		sending.attach("dot.png", "image/png", png.toByteArray());
		sending.attach("notes.txt", "text/plain", "kingfisher notes".getBytes(StandardCharsets.UTF_8));
		tabs.firstPage()
			.waitUntil(() -> sending.attachmentChips().size() == 2
					&& sending.attachmentChips().stream().allMatch(chip -> Dom.hasClass(chip, "ready")));
		sending.send("Here are two files");
		tabs.firstPage().waitUntil(() -> sending.hasReply() && !sending.lastReply().isStreaming());

		// the other tab was open all along: the prompt arrives there by push, with its
		// files
		driver.switchTo().window(tabs.secondTab());
		PaneElement watching = tabs.secondPage().pane(tabs.paneId());
		tabs.secondPage()
			.waitUntil(
					() -> watching.root().findElements(By.cssSelector(".message.user .attachment-link")).size() == 2);
		List<WebElement> files = watching.root().findElements(By.cssSelector(".message.user .attachment-link"));
		assertThat(files.get(0).getText()).contains("dot.png");
		assertThat(files.get(1).getText()).contains("notes.txt");
		WebElement thumbnail = files.get(0).findElement(By.cssSelector("img"));
		tabs.secondPage().waitUntil(() -> "4".equals(thumbnail.getDomProperty("naturalWidth")));
	}

}
