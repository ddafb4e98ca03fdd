package dev.streamchat.ui;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeDetails;
import com.vaadin.flow.shared.Registration;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.Usage;
import dev.streamchat.chat.Versions;
import dev.streamchat.streaming.LiveReply;
import dev.streamchat.ui.markdown.MarkdownRenderer;
import org.jspecify.annotations.Nullable;

/**
 * One message bubble, in one of three forms.
 * <ul>
 * <li><b>Settled</b> (a page of history, a prompt just sent): one element whose markup
 * ({@link RowMarkup}) carries the whole message, written once and never rendered again;
 * its buttons, thinking section and citations work in the browser through the pane's
 * delegated listeners. Every open tab holds every shown row, and each server-side element
 * costs about a kilobyte there, so this is what most rows are.</li>
 * <li><b>Live</b> (an answer streaming when the row was made): components that the
 * answer's events update. A reply is an ordered run of parts: a collapsible "Thinking"
 * section above the answer, then the answer's markdown with tool cards standing where the
 * model called them; each settled markdown block is rendered once and only the open tail
 * again. Once finished, the row is never touched again.</li>
 * <li><b>With components</b>: a settled row that needed one (Retry on a failed answer,
 * the editor of a prompt) is made again ({@link #withComponents()}) with its markup in a
 * child element beside them; only such a row pays for it.</li>
 * </ul>
 * <p>
 * Deltas carry their offset (answer and thinking each have their own), tool updates their
 * part index and the answer offset they stand at; a live row skips what it already shows
 * and rebuilds itself from the reply so far when something starts beyond it: no gaps, no
 * duplicates, whatever the order of loading and subscribing.
 */
final class MessageRow extends Div {

	private final MessageId id;

	private final Role role;

	/** Where the message stands among its versions; null when it has none. */
	private final @Nullable Versions versions;

	/** The components of a live row; null for a settled one. */
	private final @Nullable LiveParts live;

	/**
	 * Whether the row's own element carries its markup, so that it can take no component.
	 */
	private final boolean markupOnly;

	/** Created when first offered: most rows never need it. */
	private @Nullable Button retry;

	private @Nullable Registration retryRegistration;

	/** The open editor of a prompt; null while none is open. */
	private @Nullable PromptEditor editor;

	private MessageStatus status;

	/**
	 * @param model the model that wrote the answer
	 * @param body the answer's thinking, text and tool cards
	 */
	private record LiveParts(@Nullable String model, MessageHeader header, AnswerBody body) {
	}

	/**
	 * A row for {@code message}: live while it streams, else settled.
	 * @param versions where it stands among its versions; null when it has none
	 */
	static MessageRow of(ChatMessage message, @Nullable Versions versions, MarkdownRenderer markdown,
			int liveTailChars) {
		return message.isStreaming() ? new MessageRow(message, versions, markdown, liveTailChars)
				: new MessageRow(message, versions, markdown);
	}

	/** A settled row: one element with its markup. */
	private MessageRow(ChatMessage message, @Nullable Versions versions, MarkdownRenderer markdown) {
		this.id = message.id();
		this.role = message.role();
		this.versions = versions;
		this.status = message.status();
		this.live = null;
		this.markupOnly = true;
		RowMarkup.classes(message).forEach(this::addClassName);
		getElement().setAttribute("data-message-id", id.toString());
		getElement().setProperty("innerHTML", RowMarkup.of(message, versions, markdown));
	}

	/**
	 * A settled row again, with its markup in a child, so that it can take components.
	 */
	private MessageRow(MessageRow settled) {
		this.id = settled.id;
		this.role = settled.role;
		this.versions = settled.versions;
		this.status = settled.status;
		this.live = null;
		this.markupOnly = false;
		settled.getClassNames().forEach(this::addClassName);
		getElement().setAttribute("data-message-id", id.toString());
		Div markup = new Div();
		// laid out as if its content were the row's own (styles/chat.css)
		markup.addClassName("row-markup");
		markup.getElement().setProperty("innerHTML", settled.getElement().getProperty("innerHTML", ""));
		add(markup);
	}

	/** A live row: an answer streaming. */
	private MessageRow(ChatMessage message, @Nullable Versions versions, MarkdownRenderer markdown, int liveTailChars) {
		this.id = message.id();
		this.role = message.role();
		this.versions = versions;
		this.status = message.status();
		this.markupOnly = false;
		addClassNames("message", RowMarkup.className(role));
		getElement().setAttribute("data-message-id", id.toString());
		// an answer always records its model
		MessageHeader header = new MessageHeader(Objects.requireNonNullElse(message.model(), ""),
				MessageAction.offeredTo(role), versions);
		Div content = new Div();
		content.addClassNames("content", "markdown");
		// thinking, sources, stats and error join the row when there is something to
		// show in them
		add(header, content);
		if (message.contextDropped() > 0) {
			// the model did not see the whole conversation: the user must know what it
			// answered from
			Div note = new Div();
			note.addClassName("context-note");
			note.setText(contextNote(message.contextDropped()));
			addComponentAtIndex(indexOf(content), note);
		}
		AnswerBody body = new AnswerBody(this, content, markdown, liveTailChars);
		this.live = new LiveParts(message.model(), header, body);
		body.build(message.text(), message.thinking(), message.parts(), message.seams(), message.grounding());
		addClassName("streaming");
		// assistive technology waits for the answer to end instead of reading every
		// change
		getElement().setAttribute("aria-busy", "true");
		header.showPhase(message.text().isEmpty() && message.parts().isEmpty() ? "waiting for model…" : "generating…");
	}

	MessageId messageId() {
		return id;
	}

	/** What the row says when the oldest messages were left out of the request for it. */
	static String contextNote(int dropped) {
		return (dropped == 1 ? "The oldest message was" : "The " + dropped + " oldest messages were")
				+ " not sent with this request: the conversation is longer than the model's context limit.";
	}

	/** Whether the message offers {@code action} (its header shows that button). */
	boolean offers(MessageAction action) {
		return switch (action) {
			case PREVIOUS_VERSION -> previousVersion() != null;
			case NEXT_VERSION -> nextVersion() != null;
			default -> MessageAction.offeredTo(role).contains(action);
		};
	}

	@Nullable MessageId previousVersion() {
		return versions == null ? null : versions.previous();
	}

	@Nullable MessageId nextVersion() {
		return versions == null ? null : versions.next();
	}

	/**
	 * Whether the row's element carries its markup itself and can take no component:
	 * {@link #withComponents()} makes the row that can.
	 */
	boolean isMarkupOnly() {
		return markupOnly;
	}

	/**
	 * This settled row made again to take components (Retry, the prompt editor): the same
	 * markup, in a child element. The pane puts it in this row's place. Made when first
	 * needed, so that only the rare row that needs one pays for it.
	 */
	MessageRow withComponents() {
		return markupOnly ? new MessageRow(this) : this;
	}

	/**
	 * Replaces the prompt's text with an editor holding {@code text}; Send hands the new
	 * text to {@code send}, which says whether it was accepted (the editor stays open
	 * otherwise). Only on a row that can take components.
	 */
	void openEditor(String text, Predicate<String> send) {
		requireComponents();
		if (editor != null) {
			return;
		}
		PromptEditor opened = new PromptEditor(text, send, this::closeEditor);
		editor = opened;
		// the text the editor stands for is hidden meanwhile (styles/chat.css)
		addClassName("editing");
		add(opened);
	}

	private void closeEditor() {
		if (editor != null) {
			remove(editor);
			editor = null;
			removeClassName("editing");
		}
	}

	/** Puts {@code text} on the user's clipboard (from the click's user gesture). */
	void copyToClipboard(String text) {
		getElement().executeJs("StreamChat.copy($0, this)", text); // frontend/actions.js
	}

	/** Whether the answer ended in a way that Retry can repeat. */
	boolean isRetryable() {
		return status.isRetryable();
	}

	/**
	 * Offers the Retry action (on the pane's latest answer, when it did not complete).
	 * Only on a row that can take components.
	 */
	void offerRetry(Runnable action) {
		if (!isRetryable()) {
			return;
		}
		requireComponents();
		Button button = retry;
		if (button == null) {
			button = new Button("Retry");
			button.addClassName("retry");
			button.addThemeVariants(ButtonVariant.LUMO_SMALL);
			add(button);
			retry = button;
		}
		button.setVisible(true);
		if (retryRegistration == null) {
			retryRegistration = button.addClickListener(e -> action.run());
		}
	}

	/** Retry is no longer offered here: a later message became the latest. */
	void withdrawRetry() {
		if (retry != null) {
			retry.setVisible(false);
		}
	}

	private void requireComponents() {
		if (markupOnly) {
			throw new IllegalStateException("a settled row's markup takes no component: use withComponents()");
		}
	}

	boolean isStreaming() {
		return status == MessageStatus.STREAMING;
	}

	/**
	 * Length of the answer text shown, in UTF-16 units, as it streamed here; 0 for a
	 * settled row, which follows no deltas.
	 */
	int length() {
		return live == null ? 0 : live.body().length();
	}

	/** The tool cards of a live row (a settled row's are markup). */
	List<ToolCard> toolCards() {
		return live == null ? List.of() : live.body().cards();
	}

	/**
	 * The thinking section of a live row; null for a settled row (markup) and an answer
	 * without thinking.
	 */
	@Nullable NativeDetails thinkingSection() {
		return live == null ? null : live.body().thinkingSection();
	}

	/** The parts of a streaming row, which is always live. */
	private LiveParts live() {
		return Objects.requireNonNull(live, "a streaming row is live");
	}

	void apply(MessageEvent.PhaseChanged event) {
		if (!isStreaming()) {
			return;
		}
		LiveParts parts = live();
		parts.header().showPhase(switch (event.phase()) {
			case WAITING ->
				parts.body().cards().isEmpty() ? "waiting for model…" : "tool results sent, waiting for model…";
			case GENERATING -> "generating…";
			// these always say why
			case RETRYING, PAUSED -> Objects.requireNonNullElse(event.detail(), "");
		});
	}

	/**
	 * The reply was taken up on another server from what was stored: shown again from
	 * there (text the lost server streamed but never stored goes), with the seam marked,
	 * and it goes on.
	 */
	void apply(MessageEvent.Resumed resumed, Supplier<LiveReply> reload) {
		if (!isStreaming()) {
			return;
		}
		resync(reload.get());
		live().header().showPhase("continuing after a server restart…");
	}

	/**
	 * @param reload the reply so far, used only after a gap
	 */
	void apply(MessageEvent.Delta delta, Supplier<LiveReply> reload) {
		if (isStreaming() && !live().body().append(delta)) {
			resync(reload.get());
		}
	}

	void apply(MessageEvent.ThoughtDelta delta, Supplier<LiveReply> reload) {
		if (!isStreaming()) {
			return;
		}
		AnswerBody body = live().body();
		boolean firstThought = body.thinkingLength() == 0;
		if (!body.append(delta)) {
			resync(reload.get());
		}
		else if (firstThought && body.thinkingLength() > 0 && body.length() == 0) {
			live().header().showPhase("thinking…");
		}
	}

	void apply(MessageEvent.ToolUpdate update, Supplier<LiveReply> reload) {
		if (isStreaming() && !live().body().apply(update.part())) {
			resync(reload.get());
		}
	}

	/**
	 * The answer's web sources as they now stand: markers in the text, the list under it.
	 */
	void apply(MessageEvent.Grounded grounded) {
		if (isStreaming()) {
			live().body().ground(grounded.grounding());
		}
	}

	/**
	 * @param reload the reply as it ended, used only if this row missed some of it
	 */
	void apply(MessageEvent.Finished finished, Supplier<LiveReply> reload) {
		if (!isStreaming()) {
			return;
		}
		AnswerBody body = live().body();
		if (body.length() != finished.length() || body.thinkingLength() != finished.thinkingLength()) {
			resync(reload.get());
		}
		body.finish();
		removeClassName("streaming");
		getElement().removeAttribute("aria-busy");
		showOutcome(finished.status(), finished.error(), finished.finishReason(), finished.usage(), finished.elapsed(),
				finished.firstToken());
	}

	private void resync(LiveReply reply) {
		live().body().build(reply.text(), reply.thinking(), reply.parts(), reply.seams(), reply.grounding());
	}

	private void showOutcome(MessageStatus finalStatus, @Nullable String errorText, @Nullable String finishReason,
			Usage usage, Duration elapsed, @Nullable Duration firstToken) {
		LiveParts parts = live();
		status = finalStatus;
		addClassName(RowMarkup.className(finalStatus));
		parts.header().showPhase(MessageStats.outcome(finalStatus, elapsed));
		Div last = parts.body().last();
		String line = MessageStats.line(parts.model(), usage, elapsed, firstToken, finishReason);
		if (!line.isEmpty()) {
			Div stats = new Div();
			stats.addClassName("stats");
			stats.setText(line);
			addComponentAtIndex(indexOf(last) + 1, stats);
			last = stats;
		}
		if (errorText != null && !errorText.isBlank()) {
			Div error = new Div();
			error.addClassName("error");
			error.setText(errorText);
			addComponentAtIndex(indexOf(last) + 1, error);
		}
	}

}
