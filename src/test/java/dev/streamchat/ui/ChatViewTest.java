package dev.streamchat.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeDetails;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.dom.Element;
import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.OrphanedReplies;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.Usage;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Ending;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.SlowTool;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/** The chat view as a user drives it, without a browser. */
@AppTest
@WithMockUser(username = TestUsers.ALICE)
class ChatViewTest extends ViewTestSupport {

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	MessageBroadcaster broadcaster;

	@Autowired
	ChatPaneContext context;

	@Autowired
	ReplyWriter replyWriter;

	@Autowired
	OrphanedReplies orphaned;

	/**
	 * A pane of its own for each test: the view shows every open pane of the shared
	 * database.
	 */
	ChatPane newPane() {
		navigate(ChatView.class);
		test(find(Button.class).id("add-pane")).click();
		return find(ChatPane.class).last();
	}

	void type(ChatPane pane, String text) {
		test(find(TextArea.class, pane).withClassName("prompt").single()).setValue(text);
	}

	Button sendButton(ChatPane pane) {
		return find(Button.class, pane).withClassName("send").single();
	}

	List<MessageRow> rows(ChatPane pane) {
		return find(MessageRow.class, pane).all();
	}

	/**
	 * The prompt's text as its row shows it (the text of its {@code user-text} element,
	 * in the markup of a settled row).
	 */
	static String userText(MessageRow row) {
		Matcher text = Pattern.compile("<div class=\"content user-text\"[^>]*>([^<]*)</div>").matcher(html(row));
		assertThat(text.find()).as("the row shows a prompt's text").isTrue();
		return text.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
	}

	static String html(MessageRow row) {
		StringBuilder html = new StringBuilder();
		collect(row.getElement(), html);
		return html.toString();
	}

	private static void collect(Element element, StringBuilder html) {
		Object inner = element.getPropertyRaw("innerHTML");
		if (inner != null) {
			html.append(inner);
		}
		if (element.isTextNode()) {
			html.append(element.getText());
		}
		element.getChildren().forEach(child -> collect(child, html));
	}

	@Test
	void sendingAPromptShowsItAndStreamsTheAnswerIntoABubble() {
		fake.when("hello", Reply.chunks("**Hi** ", "there, ", "how can I help?").every(Duration.ofMillis(30)));
		ChatPane pane = newPane();

		type(pane, "hello model");
		test(sendButton(pane)).click();

		awaitUi(() -> rows(pane).size() == 2);
		assertThat(userText(rows(pane).getFirst())).isEqualTo("hello model");
		awaitUi(() -> !rows(pane).get(1).isStreaming());
		MessageRow reply = rows(pane).get(1);
		assertThat(html(reply)).contains("<strong>Hi</strong> there, how can I help?");
		assertThat(find(Span.class, reply).withClassName("phase").single().getText()).startsWith("done");
		assertThat(sendButton(pane).getText()).isEqualTo("Send");
		assertThat(find(TextArea.class, pane).withClassName("prompt").single().getValue()).isEmpty();
	}

	@Test
	void theSendButtonTurnsIntoStopWhileStreamingAndStopKeepsTheText() {
		fake.when("slow", Reply.chunks("Some ", "words").then(Ending.SILENCE));
		ChatPane pane = newPane();
		type(pane, "slow please");
		test(sendButton(pane)).click();
		awaitUi(() -> rows(pane).size() == 2 && rows(pane).get(1).length() == "Some words".length());
		assertThat(sendButton(pane).getText()).isEqualTo("Stop");
		assertThat(rows(pane).get(1).hasClassName("streaming")).isTrue();

		test(sendButton(pane)).click();

		awaitUi(() -> !rows(pane).get(1).isStreaming());
		MessageRow reply = rows(pane).get(1);
		assertThat(reply.hasClassName("stopped")).isTrue();
		assertThat(html(reply)).contains("Some words");
		assertThat(sendButton(pane).getText()).isEqualTo("Send");
	}

	@Test
	void anEmptyPromptGetsAClearMessageAndSendsNothing() {
		ChatPane pane = newPane();
		type(pane, "   ");

		test(sendButton(pane)).click();

		Span error = find(Span.class, pane).withClassName("prompt-error").single();
		assertThat(error.isVisible()).isTrue();
		assertThat(error.getText()).isEqualTo("Type a message first.");
		assertThat(rows(pane)).isEmpty();
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void aFailedAnswerShowsItsErrorInTheBubbleAndKeepsThePartialText() {
		fake.when("break", Reply.chunks("Partial ", "text").every(Duration.ofMillis(5)).then(Ending.DISCONNECT));
		ChatPane pane = newPane();
		type(pane, "break it");
		test(sendButton(pane)).click();

		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());

		MessageRow reply = rows(pane).get(1);
		assertThat(reply.hasClassName("failed")).isTrue();
		assertThat(html(reply)).contains("Partial text");
		Div error = find(Div.class, reply).withClassName("error").single();
		assertThat(error.isVisible()).isTrue();
		assertThat(error.getText()).contains("broke off");
	}

	@Test
	void aFailedAnswerOffersRetryWhichStreamsANewAnswer() {
		fake.when("again", Reply.chunks("Cut ").every(Duration.ofMillis(5)).then(Ending.DISCONNECT))
			.when("again", Reply.chunks("Now complete."));
		ChatPane pane = newPane();
		type(pane, "again please");
		test(sendButton(pane)).click();
		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());
		Button retry = find(Button.class, rows(pane).get(1)).withClassName("retry").single();
		assertThat(retry.isVisible()).isTrue();

		test(retry).click();

		// the new answer takes the failed one's place; the failed attempt stays reachable
		// as version 1
		awaitUi(() -> rows(pane).size() == 2 && html(rows(pane).get(1)).contains("Now complete.")
				&& !rows(pane).get(1).isStreaming());
		assertThat(rows(pane).get(1).hasClassName("complete")).isTrue();
		assertThat(versionLabel(rows(pane).get(1))).isEqualTo("2 / 2");
		assertThat(find(Button.class, rows(pane).get(1)).withClassName("retry").all()).as("retry is not offered")
			.isEmpty();
	}

	/**
	 * A settled row is markup only; the latest answer, when it failed, gets its Retry
	 * button all the same, and the answers before it none.
	 */
	@Test
	void aFailedAnswerLoadedFromStorageOffersRetryOnTheLatestAnswerOnly() {
		ChatPane pane = newPane();
		var id = pane.paneId();
		messageStore.addUserMessage(alice(), id, "first try");
		ChatMessage earlier = replyWriter.startReply(id, "gemini-2.5-flash");
		replyWriter.finish(earlier.id(), "Cut", new Outcome(MessageStatus.FAILED, "broke off", null, Usage.NONE));
		messageStore.addUserMessage(alice(), id, "tell me again");
		ChatMessage latest = replyWriter.startReply(id, "gemini-2.5-flash");
		replyWriter.finish(latest.id(), "Cut too", new Outcome(MessageStatus.FAILED, "broke off", null, Usage.NONE));
		fake.when("tell me again", Reply.chunks("Now complete."));

		ChatPane reloaded = rebuilt(pane);

		assertThat(rows(reloaded)).hasSize(4);
		assertThat(find(Button.class, rows(reloaded).get(1)).withClassName("retry").all()).isEmpty();
		MessageRow failed = rows(reloaded).get(3);
		assertThat(failed.hasClassName("failed")).isTrue();
		assertThat(html(failed)).contains("Cut too").contains("<div class=\"error\">broke off</div>");
		Button retry = find(Button.class, failed).withClassName("retry").single();
		assertThat(retry.isVisible()).isTrue();

		test(retry).click();

		awaitUi(() -> rows(reloaded).size() == 4 && html(rows(reloaded).get(3)).contains("Now complete.")
				&& !rows(reloaded).get(3).isStreaming());
		assertThat(versionLabel(rows(reloaded).get(3))).isEqualTo("2 / 2");
		assertThat(find(Button.class, rows(reloaded).get(3)).withClassName("retry").all()).isEmpty();
	}

	@Test
	void modelOutputIsNeverInterpretedAsHtml() {
		fake.when("xss", Reply.chunks("<script>alert(1)</script> ", "<img src=x onerror=alert(2)> ",
				"\n\n[click me](javascript:alert)"));
		ChatPane pane = newPane();
		type(pane, "xss <b>bold?</b>");
		test(sendButton(pane)).click();

		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());

		String html = html(rows(pane).get(1));
		assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("href=\"javascript:");
		// a javascript: link is not a link at all (only http, https and mailto are): its
		// text stays
		assertThat(html).contains("&lt;script&gt;").contains("click me");
		// the user's own text is shown as typed, not as markup
		assertThat(html(rows(pane).getFirst())).contains("xss &lt;b&gt;bold?&lt;/b&gt;").doesNotContain("<b>");
		assertThat(userText(rows(pane).getFirst())).isEqualTo("xss <b>bold?</b>");
	}

	/**
	 * A settled row is markup written on the server: every text in it that a user or a
	 * model wrote (prompt, answer, thinking, a tool's name, arguments and result, the
	 * error, the model's name) stays text.
	 */
	@Test
	void aConversationLoadedFromStorageShowsHostileTextInertInEveryPartOfItsRows() {
		ChatPane pane = newPane();
		var id = pane.paneId();
		String hostile = "<img src=x onerror=alert(1)>";
		messageStore.addUserMessage(alice(), id, "prompt " + hostile);
		ChatMessage reply = replyWriter.startReply(id, "model" + hostile);
		replyWriter.finish(reply.id(), "answer <script>alert(2)</script> and more", "thought " + hostile,
				List.of(new ToolPart(0, 7, "tool" + hostile, "{\"q\":\"" + hostile + "\"}", ToolPart.ToolStatus.FAILED,
						null, "error " + hostile)),
				new Outcome(MessageStatus.FAILED, "failed " + hostile, null, Usage.NONE));

		ChatPane reloaded = rebuilt(pane);

		String prompt = html(rows(reloaded).get(0));
		String answer = html(rows(reloaded).get(1));
		assertThat(prompt + answer).doesNotContain("<img").doesNotContain("<script");
		assertThat(userText(rows(reloaded).get(0))).isEqualTo("prompt " + hostile);
		String escaped = "&lt;img src=x onerror=alert(1)&gt;";
		assertThat(answer).contains("<span class=\"author\">model" + escaped + "</span>")
			.contains("&lt;script&gt;alert(2)&lt;/script&gt;")
			.contains("thought " + escaped)
			.contains("<span class=\"tool-name\">tool" + escaped + "</span>")
			.contains("<pre class=\"tool-result tool-error\">error " + escaped + "</pre>")
			.contains("<div class=\"error\">failed " + escaped + "</div>");
	}

	@Test
	void panesCanBeAddedClosedAndEachPicksItsModel() {
		navigate(ChatView.class);
		int before = find(ChatPane.class).all().size();

		test(find(Button.class).id("add-pane")).click();

		List<ChatPane> panes = find(ChatPane.class).all();
		assertThat(panes).hasSize(before + 1);
		ChatPane added = panes.getLast();
		@SuppressWarnings("unchecked")
		Select<String> picker = find(Select.class, added).single();
		assertThat(picker.getListDataView().getItems()).containsExactly("gemini-2.5-flash", "gemini-2.5-pro");
		test(picker).selectItem("gemini-2.5-pro");
		assertThat(paneStore.openConversation(alice(), added.paneId()).orElseThrow().model())
			.isEqualTo("gemini-2.5-pro");

		test(find(Button.class, added).withClassName("close-pane").single()).click();
		assertThat(find(ChatPane.class).all()).hasSize(before);
		assertThat(paneStore.openConversation(alice(), added.paneId())).isEmpty();
	}

	@Test
	void historySurvivesAReloadAndAClosedViewLeavesNoListenerBehind() {
		fake.when("remember", Reply.chunks("I will ", "remember."));
		ChatPane pane = newPane();
		type(pane, "remember this");
		test(sendButton(pane)).click();
		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());
		int listenersWhileOpen = broadcaster.subscriberCount();
		int panesShown = find(ChatPane.class).all().size();
		UI ui = UI.getCurrent();

		// the tab goes away: every pane must unsubscribe
		getCurrentView().getElement().removeFromParent();
		assertThat(broadcaster.subscriberCount()).isEqualTo(listenersWhileOpen - panesShown);

		// a reload builds a new view from storage
		ui.add(new ChatView(context, colorSchemes));
		ChatPane reloaded = find(ChatPane.class).all()
			.stream()
			.filter(p -> p.paneId().equals(pane.paneId()))
			.findFirst()
			.orElseThrow();
		assertThat(rows(reloaded)).hasSize(2);
		assertThat(html(rows(reloaded).get(1))).contains("I will remember.");
		assertThat(broadcaster.subscriberCount()).isEqualTo(listenersWhileOpen);
	}

	void send(ChatPane pane, String prompt) {
		type(pane, prompt);
		test(sendButton(pane)).click();
	}

	static String stats(MessageRow row) {
		return row.getChildren()
			.filter(c -> c.hasClassName("stats"))
			.findFirst()
			.map(c -> c.getElement().getText())
			.orElse("");
	}

	/**
	 * The reply's content in order: flows of text and tool cards (components in a live
	 * row, markup in a settled one).
	 */
	static List<String> contentOrder(MessageRow row) {
		if (row.getChildren().anyMatch(c -> c.hasClassName("content"))) {
			Div content = (Div) row.getChildren().filter(c -> c.hasClassName("content")).findFirst().orElseThrow();
			return content.getChildren().map(c -> c.hasClassName("tool-card") ? "card" : "text").toList();
		}
		String html = html(row);
		Matcher parts = Pattern.compile("<div class=\"(flow|tool-card)\\b")
			.matcher(html.substring(html.indexOf("<div class=\"content markdown\">")));
		List<String> order = new ArrayList<>();
		while (parts.find()) {
			order.add(parts.group(1).equals("tool-card") ? "card" : "text");
		}
		return order;
	}

	@Test
	void aToolCardSpinsWhileTheToolRunsThenShowsItsResultAndTheAnswerGoesOnInTheSameBubble() {
		SlowTool.Gate lookup = SlowTool.newGate();
		fake.when("widgets",
				Reply.events(Chunk.text("Looking it up. "), Chunk.call(SlowTool.NAME, Map.of("gate", lookup.key()))));
		fake.when("widgets", Reply.chunks("Found ", "42 widgets."));
		ChatPane pane = newPane();

		send(pane, "how many widgets?");

		awaitUi(() -> rows(pane).size() == 2 && rows(pane).get(1).toolCards().size() == 1);
		ToolCard running = rows(pane).get(1).toolCards().getFirst();
		assertThat(running.hasClassName("running")).isTrue();
		assertThat(find(Span.class, running).withClassName("tool-name").single().getText()).isEqualTo(SlowTool.NAME);
		assertThat(find(Pre.class, running).withClassName("tool-args").single().getText())
			.isEqualTo("{\"gate\":\"" + lookup.key() + "\"}");
		assertThat(find(Span.class, running).withClassName("tool-status").single().getText()).isEqualTo("running…");
		lookup.open();

		awaitUi(() -> !rows(pane).get(1).isStreaming());
		MessageRow reply = rows(pane).get(1);
		ToolCard card = reply.toolCards().getFirst();
		assertThat(card.hasClassName("done")).isTrue();
		assertThat(find(Pre.class, card).withClassName("tool-result").single().getText()).contains("42 widgets");
		assertThat(contentOrder(reply)).containsExactly("text", "card", "text");
		assertThat(html(reply)).contains("Looking it up.").contains("Found 42 widgets.");

		// after a reload (a new view, built from storage) the card is where it was
		ChatPane reloaded = rebuilt(pane);
		assertThat(reloaded).isNotSameAs(pane);
		MessageRow stored = rows(reloaded).get(1);
		assertThat(stored).isNotSameAs(reply);
		assertThat(contentOrder(stored)).containsExactly("text", "card", "text");
		assertThat(html(stored))
			.containsPattern("<div class=\"tool-card done\"[^>]*><div class=\"tool-head\">"
					+ ".*<span class=\"tool-name\">" + SlowTool.NAME + "</span><span class=\"tool-status\">done</span>")
			.containsPattern("<pre class=\"tool-result\">[^<]*42 widgets");
	}

	@Test
	void aFailingToolShowsItsErrorInTheCard() {
		fake.when("broken lookup", Reply.events(Chunk.call(SlowTool.NAME, Map.of("fail", true))));
		fake.when("broken lookup", Reply.chunks("Sorry, the lookup failed."));
		ChatPane pane = newPane();

		send(pane, "broken lookup");

		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());
		ToolCard card = rows(pane).get(1).toolCards().getFirst();
		assertThat(card.hasClassName("failed")).isTrue();
		Pre error = find(Pre.class, card).withClassName("tool-result").single();
		assertThat(error.hasClassName("tool-error")).isTrue();
		assertThat(error.getText()).isEqualTo("lookup service down");
	}

	@Test
	void thinkingStreamsIntoAnOpenSectionThatCollapsesWhenTheAnswerStarts() {
		fake.when("deep",
				Reply
					.events(Chunk.thought("**Considering** the "), Chunk.thought("options."), Chunk.text("Answer "),
							Chunk.text("here."))
					.every(Duration.ofMillis(300))
					.usage(7, 3, 33));
		ChatPane pane = newPane();

		send(pane, "deep question");

		awaitUi(() -> rows(pane).size() == 2 && requireNonNull(rows(pane).get(1).thinkingSection()).isVisible());
		MessageRow reply = rows(pane).get(1);
		NativeDetails thinking = requireNonNull(reply.thinkingSection());
		assertThat(thinking.isOpen()).isTrue();
		assertThat(find(Span.class, reply).withClassName("phase").single().getText()).isEqualTo("thinking…");
		assertThat(reply.length()).isZero();

		awaitUi(() -> reply.length() > 0);
		assertThat(thinking.isOpen()).isFalse();
		awaitUi(() -> !reply.isStreaming());
		assertThat(html(reply)).contains("<strong>Considering</strong> the options.");
		assertThat(stats(reply)).contains("33 thinking");
		// reopenable: the user's toggle is kept
		thinking.setOpen(true);
		assertThat(thinking.isOpen()).isTrue();
	}

	@Test
	void aFinishedAnswerShowsItsStatsAndWhyItStoppedWhenNotNormally() {
		fake.when("stats",
				Reply.chunks("Cut ", "short")
					.every(Duration.ofMillis(50))
					.usage(12, 50, 20)
					.finishReason("MAX_TOKENS"));
		ChatPane pane = newPane();

		send(pane, "stats please");

		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());
		String stats = stats(rows(pane).get(1));
		assertThat(stats).startsWith("gemini-2.5-flash · first token ")
			.containsPattern("\\d+ tokens/s")
			.contains("12 in · 50 out · 20 thinking")
			.endsWith("stopped: max tokens");
	}

	@Test
	void systemInstructionsAndTemperatureAreSetPerPaneAndRemembered() {
		ChatPane pane = newPane();
		test(find(Button.class, pane).withClassName("settings-toggle").single()).click();

		test(find(TextArea.class, pane).withClassName("system-instruction").single()).setValue("Be terse.");
		test(find(NumberField.class, pane).withClassName("temperature").single()).setValue(0.7);
		test(find(Button.class, pane).withClassName("save-settings").single()).click();

		assertThat(paneStore.openConversation(alice(), pane.paneId()).orElseThrow().systemInstruction())
			.isEqualTo("Be terse.");
		assertThat(paneStore.openConversation(alice(), pane.paneId()).orElseThrow().temperature()).isEqualTo(0.7);
		navigate(ChatView.class);
		ChatPane again = find(ChatPane.class).all()
			.stream()
			.filter(p -> p.paneId().equals(pane.paneId()))
			.findFirst()
			.orElseThrow();
		assertThat(find(TextArea.class, again).withClassName("system-instruction").single().getValue())
			.isEqualTo("Be terse.");
	}

	@Test
	void deletingAnExchangeRemovesPromptAndAnswer() {
		fake.when("keep", Reply.chunks("Kept."));
		fake.when("drop", Reply.chunks("Dropped."));
		ChatPane pane = newPane();
		send(pane, "keep this");
		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());
		send(pane, "drop this");
		awaitUi(() -> rows(pane).size() == 4 && !rows(pane).get(3).isStreaming());

		// (the browser asks once more before it calls: AnswerActionsBrowserTest)
		act(pane, rows(pane).get(3), "delete-exchange");

		awaitUi(() -> rows(pane).size() == 2);
		assertThat(html(rows(pane).get(1))).contains("Kept.");
		assertThat(messageStore.history(alice(), pane.paneId())).hasSize(2);
	}

	@Test
	void settledCodeBlocksCarryACopyButtonAndAnswersACopyAction() {
		fake.when("snippet", Reply.chunks("Here:\n\n```java\nint x = 1;\n```\n\nDone."));
		ChatPane pane = newPane();
		send(pane, "snippet please");

		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());
		MessageRow reply = rows(pane).get(1);
		assertThat(html(reply))
			.contains("<div class=\"code-block\"><div class=\"code-head\"><span class=\"code-lang\">java</span>"
					+ "<button class=\"copy-code\"")
			.contains("int x = 1;");
		assertThat(html(reply)).contains("data-action=\"copy-answer\"");
		// the user's own message cannot be "copied as markdown" but can be deleted
		assertThat(html(rows(pane).getFirst())).doesNotContain("copy-answer")
			.contains("data-action=\"delete-exchange\"");
	}

	/**
	 * The pane as a reload shows it: a new view, built from storage, in place of the old
	 * one.
	 */
	ChatPane rebuilt(ChatPane pane) {
		UI ui = UI.getCurrent();
		find(ChatView.class).all().forEach(view -> view.getElement().removeFromParent());
		ui.add(new ChatView(context, colorSchemes));
		return find(ChatPane.class).all()
			.stream()
			.filter(p -> p.paneId().equals(pane.paneId()))
			.findFirst()
			.orElseThrow();
	}

	ChatPane reopened(ChatPane pane) {
		navigate(ChatView.class);
		return find(ChatPane.class).all()
			.stream()
			.filter(p -> p.paneId().equals(pane.paneId()))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * "2 / 3" as the row's header shows it (the switcher is markup, see
	 * MessageRow#showVersions).
	 */
	static String versionLabel(MessageRow row) {
		Matcher label = Pattern.compile("class=\"version-label\">([^<]*)<").matcher(html(row));
		return label.find() ? label.group(1) : "";
	}

	/**
	 * A click on one of a message's header buttons, as the pane's click listener reports
	 * it.
	 */
	static void act(ChatPane pane, MessageRow row, String action) {
		pane.messageAction(row.messageId().toString(), action);
	}

	@Test
	void regeneratingShowsTheNewAnswerWithAVersionSwitcherBackToTheEarlierOne() {
		fake.when("joke", Reply.chunks("First joke."));
		fake.when("joke", Reply.chunks("Second joke."));
		ChatPane pane = newPane();
		send(pane, "tell a joke");
		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());

		act(pane, rows(pane).get(1), "regenerate");

		awaitUi(() -> rows(pane).size() == 2 && html(rows(pane).get(1)).contains("Second joke.")
				&& !rows(pane).get(1).isStreaming());
		assertThat(versionLabel(rows(pane).get(1))).isEqualTo("2 / 2");

		act(pane, rows(pane).get(1), "previous-version");

		awaitUi(() -> html(rows(pane).get(1)).contains("First joke."));
		assertThat(rows(pane)).hasSize(2);
		assertThat(versionLabel(rows(pane).get(1))).isEqualTo("1 / 2");
		// a reload shows the version the user chose
		ChatPane again = reopened(pane);
		assertThat(rows(again)).hasSize(2);
		assertThat(html(rows(again).get(1))).contains("First joke.");
		assertThat(versionLabel(rows(again).get(1))).isEqualTo("1 / 2");
	}

	@Test
	void editingAnEarlierPromptResendsItAndKeepsTheEarlierBranchOneClickAway() {
		fake.when("red", Reply.chunks("Red is warm."));
		fake.when("and", Reply.chunks("Also nice."));
		fake.when("blue", Reply.chunks("Blue is cool."));
		ChatPane pane = newPane();
		send(pane, "red?");
		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());
		send(pane, "and green?");
		awaitUi(() -> rows(pane).size() == 4 && !rows(pane).get(3).isStreaming());

		act(pane, rows(pane).getFirst(), "edit-prompt");
		TextArea editor = find(TextArea.class, rows(pane).getFirst()).withClassName("edit-text").single();
		assertThat(editor.getValue()).isEqualTo("red?");
		test(editor).setValue("blue?");
		test(find(Button.class, rows(pane).getFirst()).withClassName("send-edit").single()).click();

		awaitUi(() -> rows(pane).size() == 2 && html(rows(pane).get(1)).contains("Blue is cool.")
				&& !rows(pane).get(1).isStreaming());
		assertThat(userText(rows(pane).getFirst())).isEqualTo("blue?");
		assertThat(versionLabel(rows(pane).getFirst())).isEqualTo("2 / 2");
		assertThat(fake.requests().getLast().contents()).containsExactly(new FakeGemini.Turn("user", "blue?"));

		act(pane, rows(pane).getFirst(), "previous-version");

		awaitUi(() -> rows(pane).size() == 4);
		assertThat(rows(pane)).extracting(ChatViewTest::html)
			.satisfiesExactly(h -> assertThat(h).contains("red?"), h -> assertThat(h).contains("Red is warm."),
					h -> assertThat(h).contains("and green?"), h -> assertThat(h).contains("Also nice."));
		assertThat(versionLabel(rows(pane).getFirst())).isEqualTo("1 / 2");
	}

	@Test
	void anEmptyEditIsRefusedAndTheEditorStaysOpen() {
		fake.when("hi", Reply.chunks("Hello."));
		ChatPane pane = newPane();
		send(pane, "hi");
		awaitUi(() -> rows(pane).size() == 2 && !rows(pane).get(1).isStreaming());

		act(pane, rows(pane).getFirst(), "edit-prompt");
		test(find(TextArea.class, rows(pane).getFirst()).withClassName("edit-text").single()).setValue("  ");
		test(find(Button.class, rows(pane).getFirst()).withClassName("send-edit").single()).click();

		Span error = find(Span.class, pane).withClassName("prompt-error").single();
		assertThat(error.getText()).contains("Type a message first");
		assertThat(find(TextArea.class, rows(pane).getFirst()).withClassName("edit-text").all()).hasSize(1);
		test(find(Button.class, rows(pane).getFirst()).withClassName("cancel-edit").single()).click();
		assertThat(find(TextArea.class, rows(pane).getFirst()).withClassName("edit-text").all()).isEmpty();
		// the prompt's text shows again (it is hidden while the row is being edited)
		assertThat(rows(pane).getFirst().hasClassName("editing")).isFalse();
		assertThat(userText(rows(pane).getFirst())).isEqualTo("hi");
	}

	@Test
	void aLongConversationOpensWithItsLatestPageAndLoadsOlderOnesOnRequest() {
		var stored = paneStore.create(alice(), "gemini-2.5-flash");
		for (int i = 0; i < 60; i++) {
			messageStore.addUserMessage(stored.owner(), stored.id(), "question " + i);
		}
		navigate(ChatView.class);
		getCurrentView().getElement().removeFromParent();
		// a reload: the view reads the pane from storage
		UI.getCurrent().add(new ChatView(context, colorSchemes));
		ChatPane pane = find(ChatPane.class).all()
			.stream()
			.filter(p -> p.paneId().equals(stored.id()))
			.findFirst()
			.orElseThrow();

		assertThat(rows(pane)).hasSize(50);
		assertThat(userText(rows(pane).getFirst())).isEqualTo("question 10");
		Button older = find(Button.class, pane).withClassName("load-older").single();

		test(older).click();

		assertThat(rows(pane)).hasSize(60);
		assertThat(userText(rows(pane).getFirst())).isEqualTo("question 0");
		assertThat(older.isVisible()).isFalse();
	}

	@Test
	void anAnswerWhoseRequestLeftOutTheOldestMessagesSaysSo() {
		ChatPane pane = newPane();
		ConversationId id = pane.paneId();
		messageStore.addUserMessage(alice(), id, "a long conversation's latest question");
		ChatMessage reply = replyWriter.startReply(id, "gemini-2.5-flash", null, 4);
		replyWriter.finish(reply.id(), "An answer from what fitted.",
				new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));

		UI ui = UI.getCurrent();
		getCurrentView().getElement().removeFromParent();
		// a reload builds a new view from storage
		ui.add(new ChatView(context, colorSchemes));

		ChatPane reloaded = find(ChatPane.class).all()
			.stream()
			.filter(p -> p.paneId().equals(id))
			.findFirst()
			.orElseThrow();
		assertThat(html(rows(reloaded).get(1))).contains("<div class=\"context-note\">The 4 oldest messages were not "
				+ "sent with this request: the conversation is longer than the model's context limit.</div>");
	}

	@Test
	void aTooLongSystemInstructionIsRefusedInWordsAndStaysInTheFieldToBeShortened() {
		ChatPane pane = newPane();
		test(find(Button.class, pane).withClassName("settings-toggle").single()).click();
		String tooLong = "Be brief. ".repeat(801);

		test(find(TextArea.class, pane).withClassName("system-instruction").single()).setValue(tooLong);
		test(find(Button.class, pane).withClassName("save-settings").single()).click();

		assertThat(find(Span.class, pane).withClassName("settings-saved").single().getText())
			.isEqualTo("The system instructions are too long: 8,010 characters, at most 8,000 are allowed.");
		assertThat(find(TextArea.class, pane).withClassName("system-instruction").single().getValue())
			.isEqualTo(tooLong);
		assertThat(paneStore.openConversation(alice(), pane.paneId()).orElseThrow().systemInstruction()).isNull();
	}

	@Test
	void anAnswerTakenUpByAnotherServerDropsWhatWasNeverStoredMarksTheSeamAndGoesOn() {
		ChatPane pane = newPane();
		var paneId = pane.paneId();
		broadcaster.publish(new MessageEvent.Added(messageStore.addUserMessage(alice(), paneId, "a question")));
		ChatMessage reply = replyWriter.startReply(paneId, "gemini-2.5-flash", "lost-node");
		broadcaster.publish(new MessageEvent.Added(reply));
		replyWriter.append(reply.id(), 0, "Stored part. ");
		// the lost node streamed more than it stored before it died
		broadcaster.publish(new MessageEvent.Delta(paneId, reply.id(), 0, "Stored part. "));
		broadcaster.publish(new MessageEvent.Delta(paneId, reply.id(), 13, "Never stored."));
		awaitUi(() -> rows(pane).size() == 2 && rows(pane).get(1).length() == 26);
		MessageRow row = rows(pane).get(1);

		// another server claims it and goes on from what was stored
		OrphanedReplies.Orphan orphan = orphaned.orphansNotOn("taker", Instant.now().plusSeconds(60))
			.stream()
			.filter(o -> o.reply().equals(reply.id()))
			.findFirst()
			.orElseThrow();
		assertThat(orphaned.claim(orphan, "taker")).isPresent();
		broadcaster.publish(new MessageEvent.Resumed(paneId, reply.id(), 13, 0));
		awaitUi(() -> row.length() == 13 && !find(Div.class, row).withClassName("seam").all().isEmpty());
		assertThat(html(row)).doesNotContain("Never stored");
		assertThat(find(Span.class, row).withClassName("phase").single().getText())
			.isEqualTo("continuing after a server restart…");
		broadcaster.publish(new MessageEvent.Delta(paneId, reply.id(), 13, "And the rest."));
		awaitUi(() -> row.length() == 26);
		replyWriter.finish(reply.id(), "taker", "Stored part. And the rest.", "", List.of(),
				new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
		broadcaster.publish(new MessageEvent.Finished(paneId, reply.id(), MessageStatus.COMPLETE, null, "STOP",
				Usage.NONE, Duration.ofSeconds(3), 26, 0, null));
		awaitUi(() -> !row.isStreaming());

		assertThat(html(row)).contains("Stored part.")
			.contains("And the rest.")
			.doesNotContain("Never stored")
			.contains("continued after a server restart");
		// the answer's text is the model's alone: the mark is not part of it
		assertThat(messageStore.stored(reply.id()).orElseThrow().text()).isEqualTo("Stored part. And the rest.");
	}

}
