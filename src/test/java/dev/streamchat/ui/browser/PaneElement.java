package dev.streamchat.ui.browser;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** Page object of one chat pane. */
final class PaneElement {

	private final WebDriver driver;

	private final WebElement root;

	PaneElement(WebDriver driver, WebElement root) {
		this.driver = driver;
		this.root = root;
	}

	String paneId() {
		return Dom.attribute(root, "data-pane-id");
	}

	String title() {
		return root.findElement(By.cssSelector(".pane-title")).getText();
	}

	/** Types into the prompt and presses Enter, as a user sends. */
	void send(String prompt) {
		WebElement textarea = root.findElement(By.cssSelector(".prompt textarea"));
		textarea.click();
		textarea.sendKeys(prompt);
		textarea.sendKeys(Keys.ENTER);
	}

	/**
	 * Attaches a file as a drop or a paste does (a test cannot drag a file into the
	 * browser): a File made in the page goes the same way, announced, uploaded and
	 * checked.
	 */
	void attach(String name, String type, byte[] content) {
		((JavascriptExecutor) driver).executeScript("""
				const bytes = Uint8Array.from(atob(arguments[3]), c => c.charCodeAt(0));
				StreamChat.attachFiles(arguments[0], [new File([bytes], arguments[1], {type: arguments[2]})]);""", root,
				name, type, Base64.getEncoder().encodeToString(content));
	}

	/** The chips above the prompt. */
	List<WebElement> attachmentChips() {
		return root.findElements(By.cssSelector(".attachment-tray .attachment-chip"));
	}

	void typeWithoutSending(String text) {
		root.findElement(By.cssSelector(".prompt textarea")).sendKeys(text);
	}

	String promptValue() {
		return Objects.requireNonNull(root.findElement(By.cssSelector(".prompt textarea")).getDomProperty("value"),
				"the prompt's value");
	}

	void clickSendOrStop() {
		root.findElement(By.cssSelector("vaadin-button.send")).click();
	}

	String sendButtonText() {
		return root.findElement(By.cssSelector("vaadin-button.send")).getText();
	}

	List<MessageElement> replies() {
		return root.findElements(By.cssSelector(".message.assistant"))
			.stream()
			.map(e -> new MessageElement(driver, e))
			.toList();
	}

	List<MessageElement> messages() {
		return root.findElements(By.cssSelector(".message")).stream().map(e -> new MessageElement(driver, e)).toList();
	}

	/** Whether the pane shows a reply (one being written counts). */
	boolean hasReply() {
		return !root.findElements(By.cssSelector(".message.assistant")).isEmpty();
	}

	/**
	 * The newest reply; a NoSuchElementException when there is none, as for any element
	 * not there (waits poll past it).
	 */
	MessageElement lastReply() {
		List<MessageElement> replies = replies();
		if (replies.isEmpty()) {
			throw new NoSuchElementException("pane " + paneId() + " shows no reply");
		}
		return replies.getLast();
	}

	/**
	 * Opens the ⚙ panel, sets the system instructions and temperature, and saves them.
	 */
	void changeSettings(String systemInstruction, String temperature) {
		root.findElement(By.cssSelector("vaadin-button.settings-toggle")).click();
		WebElement instruction = Dom.waitFor(driver, Duration.ofSeconds(10),
				d -> root.findElements(By.cssSelector(".system-instruction textarea"))
					.stream()
					.filter(WebElement::isDisplayed)
					.findFirst()
					.orElse(null));
		instruction.sendKeys(systemInstruction);
		WebElement field = root.findElement(By.cssSelector(".temperature input"));
		field.sendKeys(temperature);
		field.sendKeys(Keys.TAB);
		root.findElement(By.cssSelector("vaadin-button.save-settings")).click();
	}

	String settingsMessage() {
		return root.findElement(By.cssSelector(".settings-saved")).getText();
	}

	/** Whether the message list is scrolled to its end (within a few pixels). */
	boolean isScrolledToBottom() {
		return Dom.result(
				js("const s = arguments[0].querySelector('.messages');"
						+ "return s.scrollHeight - s.scrollTop - s.clientHeight < 8;"),
				Boolean.class, "whether the messages are scrolled to the end");
	}

	/**
	 * Watches the painted frames while the last reply grows by {@code chars} characters
	 * and returns how many of the frames in which it grew left the newest line off the
	 * end of the pane. The check runs in a ResizeObserver made after the pane's own
	 * (frontend/follow.js), so it sees each frame as it is painted, after the pane's
	 * follow had its turn; a single read between frames could catch text that has arrived
	 * but not yet been laid out and painted.
	 */
	FramesWhileGrowing framesWhileGrowing(int chars) {
		@SuppressWarnings("unchecked")
		Map<String, Object> seen = Dom.result(((JavascriptExecutor) driver).executeAsyncScript("""
				const pane = arguments[0], chars = arguments[1], done = arguments[arguments.length - 1];
				const s = pane.querySelector('.messages'), list = s.querySelector('.message-list');
				const text = () => { const r = pane.querySelectorAll('.message.assistant');
				  return r.length ? r[r.length - 1].textContent.length : 0; };
				const start = text();
				let frames = 0, off = 0;
				const watch = new ResizeObserver(() => {
				  frames++;
				  if (s.scrollHeight - s.scrollTop - s.clientHeight >= 8) off++;
				  if (text() > start + chars) { watch.disconnect(); done({frames, off, grown: true}); }
				});
				watch.observe(list);
				setTimeout(() => { watch.disconnect(); done({frames, off, grown: false}); }, 25000);""", root, chars),
				Map.class, "the frames while the reply grew");
		return new FramesWhileGrowing(Dom.entry(seen, "frames", Number.class).intValue(),
				Dom.entry(seen, "off", Number.class).intValue(), Dom.entry(seen, "grown", Boolean.class));
	}

	/** What {@link #framesWhileGrowing} saw. */
	record FramesWhileGrowing(int frames, int offTheEnd, boolean grown) {
	}

	boolean canScroll() {
		return Dom.result(
				js("const s = arguments[0].querySelector('.messages'); return s.scrollHeight > s.clientHeight + 50;"),
				Boolean.class, "whether the messages can scroll");
	}

	/** Scrolls the messages to the very top, as a user dragging up would. */
	void scrollToTop() {
		js("const s = arguments[0].querySelector('.messages'); s.scrollTop = 0; s.dispatchEvent(new Event('scroll'));");
	}

	void scrollUpBy(int pixels) {
		js("const s = arguments[0].querySelector('.messages'); s.scrollTop = Math.max(0, s.scrollTop - " + pixels + ");"
				+ "s.dispatchEvent(new Event('scroll'));");
	}

	boolean showsJumpToLatest() {
		return root.findElement(By.cssSelector(".jump-latest")).isDisplayed();
	}

	void jumpToLatest() {
		root.findElement(By.cssSelector(".jump-latest")).click();
	}

	/** The prompt field and the Send/Stop button: what must stay reachable on a phone. */
	WebElement promptField() {
		return root.findElement(By.cssSelector("vaadin-text-area.prompt"));
	}

	WebElement sendButton() {
		return root.findElement(By.cssSelector("vaadin-button.send"));
	}

	/**
	 * Whether the reply's bubble says it is still being written (aria-busy), for
	 * assistive technology.
	 */
	boolean lastReplyIsBusy() {
		return "true"
			.equals(root.findElements(By.cssSelector(".message.assistant")).getLast().getAttribute("aria-busy"));
	}

	WebElement root() {
		return root;
	}

	private @Nullable Object js(String script) {
		return ((JavascriptExecutor) driver).executeScript(script, root);
	}

	void close() {
		root.findElement(By.cssSelector("vaadin-button.close-pane")).click();
	}

	int width() {
		return root.getRect().getWidth();
	}

	/**
	 * What the pinned-frame probe saw: frames of a streaming answer, those showing its
	 * newest line, the worst lag.
	 */
	record PinnedFrames(int frames, int showingNewest, double worstBehindPx) {
		double fraction() {
			return frames == 0 ? 0 : (double) showingNewest / frames;
		}
	}

	/**
	 * From now on, in every animation frame while an answer streams here, checks whether
	 * its newest line is inside the visible part of the messages, as the frame is
	 * painted: a probe element's size is toggled in each requestAnimationFrame, so a
	 * ResizeObserver made after the pane's own runs once per frame, after layout and
	 * after the pane's observer, just before paint.
	 */
	void measurePinnedFrames() {
		js("""
				const pane = arguments[0], scroller = pane.querySelector('.messages');
				const stats = pane.__pinned = {frames: 0, showingNewest: 0, worst: 0, on: true};
				const probe = document.createElement('div');
				probe.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;visibility:hidden;pointer-events:none';
				document.body.appendChild(probe);
				new ResizeObserver(() => {
				  const reply = [...pane.querySelectorAll('.message.assistant')].pop();
				  if (!reply || !reply.classList.contains('streaming')) return;
				  const content = reply.querySelector('.content');
				  if (!content.textContent) return;
				  const behind = content.getBoundingClientRect().bottom - scroller.getBoundingClientRect().bottom;
				  stats.frames++;
				  if (behind <= 2) stats.showingNewest++;
				  stats.worst = Math.max(stats.worst, behind);
				}).observe(probe);
				let flip = false;
				const tick = () => {
				  if (!stats.on) return;
				  flip = !flip;
				  probe.style.width = flip ? '2px' : '1px';
				  requestAnimationFrame(tick);
				};
				requestAnimationFrame(tick);""");
	}

	PinnedFrames pinnedFrames() {
		@SuppressWarnings("unchecked")
		Map<String, Object> stats = Dom.result(js("const s = arguments[0].__pinned; s.on = false; return s;"),
				Map.class, "the pinned frames (measured since measurePinnedFrames)");
		return new PinnedFrames(Dom.entry(stats, "frames", Number.class).intValue(),
				Dom.entry(stats, "showingNewest", Number.class).intValue(),
				Dom.entry(stats, "worst", Number.class).doubleValue());
	}

}
