package dev.streamchat.ui;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
import dev.streamchat.streaming.LiveReply;
import dev.streamchat.ui.markdown.MarkdownRenderer;
import org.jspecify.annotations.Nullable;
import java.util.function.Predicate;

/**
 * One message bubble. A reply is an ordered run of parts: a collapsible "Thinking"
 * section above the answer, then the answer's markdown with tool cards standing where the
 * model called them. While a reply streams, each settled markdown block is rendered once
 * and only the open tail again; once finished, the row is never touched again.
 * <p>
 * Deltas carry their offset (answer and thinking each have their own), tool updates their
 * part index and the answer offset they stand at; the row skips what it already shows and
 * rebuilds itself from the reply so far when something starts beyond it: no gaps, no
 * duplicates, whatever the order of loading and subscribing.
 */
final class MessageRow extends Div {

	private final MessageId id;

	/** The model that wrote an answer; null for a prompt. */
	private final @Nullable String model;

	/**
	 * A settled row (a page of history) has its header as markup ({@link MessageHeader})
	 * and creates the thinking section, stats and error only when it has them: a page of
	 * 50 rows costs a few elements per row.
	 */
	private final MessageHeader header;

	private final Div content = new Div();

	private final AnswerBody body;

	/** The outcome's stats line, added once it has one. */
	private @Nullable Div stats;

	private @Nullable Div error;

	/** Created when first offered: most rows never need it. */
	private @Nullable Button retry;

	private @Nullable Registration retryRegistration;

	private MessageStatus status;

	MessageRow(ChatMessage message, MarkdownRenderer markdown, int liveTailChars) {
		this.id = message.id();
		this.model = message.model();
		this.body = new AnswerBody(this, content, markdown, liveTailChars);
		this.status = message.status();
		addClassNames("message", message.role().name().toLowerCase(Locale.ROOT));
		getElement().setAttribute("data-message-id", id.toString());

		// an answer always records its model
		this.header = new MessageHeader(
				message.role() == Role.USER ? "You" : Objects.requireNonNullElse(message.model(), ""),
				message.isStreaming());

		content.addClassName("content");
		if (message.role() == Role.USER) {
			content.addClassName("user-text");
			content.setText(message.text());
			content.setVisible(!message.text().isEmpty());
			add(header);
			if (!message.attachments().isEmpty()) {
				Div files = new Div();
				files.addClassName("message-attachments");
				message.attachments().forEach(file -> files.add(AttachmentChip.sent(file)));
				add(files);
			}
			add(content);
			return;
		}
		content.addClassName("markdown");
		// thinking, stats and error join the row when there is something to show in them
		add(header, content);
		if (message.contextDropped() > 0) {
			// the model did not see the whole conversation: the user must know what it
			// answered from
			Div note = new Div();
			note.addClassName("context-note");
			note.setText(contextNote(message.contextDropped()));
			addComponentAtIndex(indexOf(content), note);
		}

		body.build(message.text(), message.thinking(), message.parts(), message.seams(), message.isStreaming(),
				message.grounding());
		if (message.isStreaming()) {
			addClassName("streaming");
			// assistive technology waits for the answer to end instead of reading every
			// change
			getElement().setAttribute("aria-busy", "true");
			header.showPhase(
					message.text().isEmpty() && message.parts().isEmpty() ? "waiting for model…" : "generating…");
		}
		else {
			showOutcome(message.status(), message.error(), message.finishReason(), message.usage(), message.elapsed(),
					message.firstToken());
		}
	}

	MessageId messageId() {
		return id;
	}

	/** What the row says when the oldest messages were left out of the request for it. */
	static String contextNote(int dropped) {
		return (dropped == 1 ? "The oldest message was" : "The " + dropped + " oldest messages were")
				+ " not sent with this request: the conversation is longer than the model's context limit.";
	}

	/**
	 * Shows which version of the message this is ("2 / 3"), with buttons to the
	 * neighbours (null: none).
	 */
	void showVersions(int number, int count, @Nullable Runnable previous, @Nullable Runnable next) {
		header.showVersions(number, count, previous, next);
	}

	/**
	 * Adds an action button to the message's header (copy, delete…); the pane calls
	 * {@link #runAction}.
	 */
	void addAction(String label, String action, String ariaLabel, Runnable handler) {
		header.addAction(label, action, ariaLabel, handler);
	}

	/**
	 * Runs the action a button of this row names; false if the row offers no such action.
	 */
	boolean runAction(String action) {
		return header.runAction(action);
	}

	/** The open editor of a prompt; null while none is open. */
	private @Nullable PromptEditor editor;

	/**
	 * Replaces the prompt's text with an editor holding {@code text}; Send hands the new
	 * text to {@code send}, which says whether it was accepted (the editor stays open
	 * otherwise).
	 */
	void openEditor(String text, Predicate<String> send) {
		if (editor != null) {
			return;
		}
		PromptEditor opened = new PromptEditor(text, send, this::closeEditor);
		editor = opened;
		content.setVisible(false);
		add(opened);
	}

	private void closeEditor() {
		if (editor != null) {
			remove(editor);
			editor = null;
			content.setVisible(true);
		}
	}

	/** Puts {@code text} on the user's clipboard (from the click's user gesture). */
	void copyToClipboard(String text) {
		getElement().executeJs("StreamChat.copy($0, this)", text); // frontend/actions.js
	}

	/**
	 * Offers the Retry action (on the pane's latest answer, when it did not complete).
	 */
	void offerRetry(boolean offer, Runnable action) {
		boolean applicable = offer && status.isRetryable();
		Button button = retry;
		if (button == null) {
			if (!applicable) {
				return;
			}
			button = new Button("Retry");
			button.addClassName("retry");
			button.addThemeVariants(ButtonVariant.LUMO_SMALL);
			add(button);
			retry = button;
		}
		button.setVisible(applicable);
		if (applicable && retryRegistration == null) {
			retryRegistration = button.addClickListener(e -> action.run());
		}
	}

	boolean isStreaming() {
		return status == MessageStatus.STREAMING;
	}

	/** Length of the answer text shown, in UTF-16 units. */
	int length() {
		return body.length();
	}

	List<ToolCard> toolCards() {
		return body.cards();
	}

	/** The thinking section; null for a settled answer without thinking. */
	@Nullable NativeDetails thinkingSection() {
		return body.thinkingSection();
	}

	void apply(MessageEvent.PhaseChanged event) {
		if (!isStreaming()) {
			return;
		}
		header.showPhase(switch (event.phase()) {
			case WAITING -> body.cards().isEmpty() ? "waiting for model…" : "tool results sent, waiting for model…";
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
		header.showPhase("continuing after a server restart…");
	}

	/**
	 * @param reload the reply so far, used only after a gap
	 */
	void apply(MessageEvent.Delta delta, Supplier<LiveReply> reload) {
		if (isStreaming() && !body.append(delta)) {
			resync(reload.get());
		}
	}

	void apply(MessageEvent.ThoughtDelta delta, Supplier<LiveReply> reload) {
		if (!isStreaming()) {
			return;
		}
		boolean firstThought = body.thinkingLength() == 0;
		if (!body.append(delta)) {
			resync(reload.get());
		}
		else if (firstThought && body.thinkingLength() > 0 && body.length() == 0) {
			header.showPhase("thinking…");
		}
	}

	void apply(MessageEvent.ToolUpdate update, Supplier<LiveReply> reload) {
		if (isStreaming() && !body.apply(update.part())) {
			resync(reload.get());
		}
	}

	/**
	 * The answer's web sources as they now stand: markers in the text, the list under it.
	 */
	void apply(MessageEvent.Grounded grounded) {
		if (isStreaming()) {
			body.ground(grounded.grounding());
		}
	}

	/**
	 * @param reload the reply as it ended, used only if this row missed some of it
	 */
	void apply(MessageEvent.Finished finished, Supplier<LiveReply> reload) {
		if (!isStreaming()) {
			return;
		}
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
		body.build(reply.text(), reply.thinking(), reply.parts(), reply.seams(), true, reply.grounding());
	}

	private void showOutcome(MessageStatus finalStatus, @Nullable String errorText, @Nullable String finishReason,
			Usage usage, Duration elapsed, @Nullable Duration firstToken) {
		status = finalStatus;
		addClassName(finalStatus.name().toLowerCase(Locale.ROOT));
		String time = MessageStats.seconds(elapsed);
		String label = switch (finalStatus) {
			case COMPLETE -> "done" + time;
			case FAILED -> "failed" + time;
			case STOPPED -> "stopped" + time;
			case INTERRUPTED -> "interrupted";
			case STREAMING -> "generating…";
		};
		header.showPhase(label);
		String line = MessageStats.line(model, usage, elapsed, firstToken, finishReason);
		if (!line.isEmpty()) {
			Div statsLine = new Div();
			statsLine.addClassName("stats");
			statsLine.setText(line);
			addComponentAtIndex(indexOf(body.last()) + 1, statsLine);
			stats = statsLine;
		}
		if (errorText != null && !errorText.isBlank()) {
			Div errorLine = new Div();
			errorLine.addClassName("error");
			errorLine.setText(errorText);
			addComponentAtIndex(indexOf(stats != null ? stats : body.last()) + 1, errorLine);
			error = errorLine;
		}
	}

}
