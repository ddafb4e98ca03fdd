package dev.streamchat.ui;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeDetails;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.Usage;
import dev.streamchat.streaming.LiveReply;
import dev.streamchat.ui.markdown.MarkdownRenderer;

/**
 * One message bubble. A reply is an ordered run of parts: a collapsible "Thinking" section above
 * the answer, then the answer's markdown with tool cards standing where the model called them.
 * While a reply streams, each settled markdown block is rendered once and only the open tail
 * again; once finished, the row is never touched again.
 * <p>
 * Deltas carry their offset (answer and thinking each have their own), tool updates their part
 * index and the answer offset they stand at; the row skips what it already shows and rebuilds
 * itself from the reply so far when something starts beyond it: no gaps, no duplicates, whatever
 * the order of loading and subscribing.
 */
final class MessageRow extends Div {

    private final MessageId id;
    private final String model;
    /**
     * A settled row (a page of history) has its header as markup ({@link MessageHeader}) and
     * creates the thinking section, stats and error only when it has them: a page of 50 rows
     * costs a few elements per row.
     */
    private final MessageHeader header;
    private final Div content = new Div();
    private final AnswerBody body;
    private Div stats;
    private Div error;
    /** Created when first offered: most rows never need it. */
    private Button retry;
    private com.vaadin.flow.shared.Registration retryRegistration;
    private MessageStatus status;

    MessageRow(ChatMessage message, MarkdownRenderer markdown, int liveTailChars) {
        this.id = message.id();
        this.model = message.model();
        this.body = new AnswerBody(this, content, markdown, liveTailChars);
        this.status = message.status();
        addClassNames("message", message.role().name().toLowerCase(Locale.ROOT));
        getElement().setAttribute("data-message-id", id.toString());

        this.header = new MessageHeader(message.role() == Role.USER ? "You" : message.model(), message.isStreaming());

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

        body.build(message.text(), message.thinking(), message.parts(), message.isStreaming());
        if (message.isStreaming()) {
            addClassName("streaming");
            // assistive technology waits for the answer to end instead of reading every change
            getElement().setAttribute("aria-busy", "true");
            header.showPhase(message.text().isEmpty() && message.parts().isEmpty() ? "waiting for model…" : "generating…");
        } else {
            showOutcome(message.status(), message.error(), message.finishReason(), message.usage(), message.elapsed(),
                    message.firstToken());
        }
    }

    MessageId messageId() {
        return id;
    }

    /** Shows which version of the message this is ("2 / 3"), with buttons to the neighbours (null: none). */
    void showVersions(int number, int count, Runnable previous, Runnable next) {
        header.showVersions(number, count, previous, next);
    }

    /** Adds an action button to the message's header (copy, delete…); the pane calls {@link #runAction}. */
    void addAction(String label, String action, String ariaLabel, Runnable handler) {
        header.addAction(label, action, ariaLabel, handler);
    }

    /** Runs the action a button of this row names; false if the row offers no such action. */
    boolean runAction(String action) {
        return header.runAction(action);
    }

    private PromptEditor editor;

    /**
     * Replaces the prompt's text with an editor holding {@code text}; Send hands the new text to
     * {@code send}, which says whether it was accepted (the editor stays open otherwise).
     */
    void openEditor(String text, java.util.function.Predicate<String> send) {
        if (editor != null) {
            return;
        }
        editor = new PromptEditor(text, send, this::closeEditor);
        content.setVisible(false);
        add(editor);
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

    /** Offers the Retry action (on the pane's latest answer, when it did not complete). */
    void offerRetry(boolean offer, Runnable action) {
        boolean applicable = offer && status.isRetryable();
        if (retry == null) {
            if (!applicable) {
                return;
            }
            retry = new Button("Retry");
            retry.addClassName("retry");
            retry.addThemeVariants(ButtonVariant.LUMO_SMALL);
            add(retry);
        }
        retry.setVisible(applicable);
        if (applicable && retryRegistration == null) {
            retryRegistration = retry.addClickListener(e -> action.run());
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
    NativeDetails thinkingSection() {
        return body.thinkingSection();
    }

    void apply(MessageEvent.PhaseChanged event) {
        if (!isStreaming()) {
            return;
        }
        header.showPhase(switch (event.phase()) {
            case WAITING -> body.cards().isEmpty() ? "waiting for model…" : "tool results sent, waiting for model…";
            case GENERATING -> "generating…";
            case RETRYING -> event.detail();
        });
    }

    /** @param reload the reply so far, used only after a gap */
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
        } else if (firstThought && body.thinkingLength() > 0 && body.length() == 0) {
            header.showPhase("thinking…");
        }
    }

    void apply(MessageEvent.ToolUpdate update, Supplier<LiveReply> reload) {
        if (isStreaming() && !body.apply(update.part())) {
            resync(reload.get());
        }
    }

    /** @param reload the reply as it ended, used only if this row missed some of it */
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
        showOutcome(finished.status(), finished.error(), finished.finishReason(), finished.usage(),
                finished.elapsed(), finished.firstToken());
    }

    private void resync(LiveReply reply) {
        body.build(reply.text(), reply.thinking(), reply.parts(), true);
    }

    private void showOutcome(MessageStatus finalStatus, String errorText, String finishReason, Usage usage,
                             Duration elapsed, Duration firstToken) {
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
            stats = new Div();
            stats.addClassName("stats");
            stats.setText(line);
            addComponentAtIndex(indexOf(content) + 1, stats);
        }
        if (errorText != null && !errorText.isBlank()) {
            error = new Div();
            error.addClassName("error");
            error.setText(errorText);
            addComponentAtIndex(indexOf(stats != null ? stats : content) + 1, error);
        }
    }
}
