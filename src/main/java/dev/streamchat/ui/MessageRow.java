package dev.streamchat.ui;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.dom.Element;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.Usage;
import dev.streamchat.ui.markdown.BlockSplitter;
import dev.streamchat.ui.markdown.MarkdownRenderer;

/**
 * One message bubble. A streaming reply renders each settled markdown block once and re-renders
 * only its open tail; once finished, the row is never touched again.
 * <p>
 * Deltas carry their offset in the reply, so the row skips text it already shows and reloads
 * the whole text when a delta starts beyond it: no gaps, no duplicates, whatever the order of
 * loading and subscribing.
 */
final class MessageRow extends Div {

    private final MessageId id;
    private final MarkdownRenderer markdown;
    private final int liveTailChars;
    private final Span phase = new Span();
    private final Div blocks = new Div();
    /** The open tail rendered as markdown, while it is short. */
    private final Div tailHtml = new Div();
    /** The open tail as plain text nodes, once it is too long to re-render on every push. */
    private final Div tailText = new Div();
    private final Div error = new Div();
    private final Button retry = new Button("Retry");
    private com.vaadin.flow.shared.Registration retryRegistration;
    private BlockSplitter splitter;
    private int length;
    private MessageStatus status;

    MessageRow(ChatMessage message, MarkdownRenderer markdown, int liveTailChars) {
        this.id = message.id();
        this.markdown = markdown;
        this.liveTailChars = liveTailChars;
        this.status = message.status();
        addClassNames("message", message.role().name().toLowerCase(Locale.ROOT));
        getElement().setAttribute("data-message-id", id.toString());

        Span author = new Span(message.role() == Role.USER ? "You" : message.model());
        author.addClassName("author");
        phase.addClassName("phase");
        Div header = new Div(author, phase);
        header.addClassName("message-header");

        Div content = new Div();
        content.addClassName("content");
        if (message.role() == Role.USER) {
            content.addClassName("user-text");
            content.setText(message.text());
            add(header, content);
            return;
        }
        blocks.addClassName("blocks");
        tailHtml.addClassNames("tail", "tail-html");
        tailText.addClassNames("tail", "tail-text");
        content.addClassName("markdown");
        content.add(blocks, tailHtml, tailText);
        error.addClassName("error");
        error.setVisible(false);
        retry.addClassName("retry");
        retry.addThemeVariants(ButtonVariant.LUMO_SMALL);
        retry.setVisible(false);
        add(header, content, error, retry);

        if (message.isStreaming()) {
            addClassName("streaming");
            splitter = new BlockSplitter();
            appendText(message.text());
            phase.setText(message.text().isEmpty() ? "waiting for model…" : "generating…");
        } else {
            for (String block : BlockSplitter.split(message.text())) {
                blocks.add(block(block));
            }
            length = message.text().length();
            showOutcome(message.status(), message.error(), message.finishReason(), message.usage(), message.elapsed());
        }
    }

    MessageId messageId() {
        return id;
    }

    /** Offers the Retry action (on the pane's latest answer, when it did not complete). */
    void offerRetry(boolean offer, Runnable action) {
        boolean applicable = offer && (status == MessageStatus.FAILED || status == MessageStatus.INTERRUPTED
                || status == MessageStatus.STOPPED);
        retry.setVisible(applicable);
        if (applicable && retryRegistration == null) {
            retryRegistration = retry.addClickListener(e -> action.run());
        }
    }

    boolean isStreaming() {
        return status == MessageStatus.STREAMING;
    }

    /** Length of the text shown, in UTF-16 units. */
    int length() {
        return length;
    }

    void apply(MessageEvent.PhaseChanged event) {
        if (!isStreaming()) {
            return;
        }
        phase.setText(switch (event.phase()) {
            case WAITING -> "waiting for model…";
            case GENERATING -> "generating…";
            case RETRYING -> event.detail();
        });
    }

    /** @param reload the reply's whole text so far, used only after a gap */
    void apply(MessageEvent.Delta delta, Supplier<String> reload) {
        if (!isStreaming() || delta.end() <= length) {
            return;
        }
        if (delta.offset() > length) {
            resync(reload.get());
            return;
        }
        appendText(length == delta.offset() ? delta.text() : delta.text().substring(length - delta.offset()));
    }

    /** @param reload the reply's whole final text, used only if this row missed some of it */
    void apply(MessageEvent.Finished finished, Supplier<String> reload) {
        if (!isStreaming()) {
            return;
        }
        if (length != finished.length()) {
            resync(reload.get());
        }
        for (String block : splitter.finish()) {
            blocks.add(block(block));
        }
        splitter = null;
        tailHtml.getElement().setProperty("innerHTML", "");
        tailText.removeAll();
        removeClassName("streaming");
        showOutcome(finished.status(), finished.error(), finished.finishReason(), finished.usage(), finished.elapsed());
    }

    private void resync(String text) {
        blocks.removeAll();
        tailHtml.getElement().setProperty("innerHTML", "");
        tailText.getElement().removeAllChildren();
        splitter = new BlockSplitter();
        length = 0;
        appendText(text);
    }

    private void appendText(String fresh) {
        if (fresh.isEmpty()) {
            return;
        }
        length += fresh.length();
        var settled = splitter.append(fresh);
        for (String block : settled) {
            blocks.add(block(block));
        }
        if (splitter.tailLength() <= liveTailChars) {
            if (tailText.getElement().getChildCount() > 0) {
                tailText.getElement().removeAllChildren();
            }
            tailHtml.getElement().setProperty("innerHTML", markdown.toHtml(splitter.tail()));
        } else if (!settled.isEmpty() || tailText.getElement().getChildCount() == 0) {
            // a long open block (a big code block, say): plain text from now on, sent only as it grows
            tailHtml.getElement().setProperty("innerHTML", "");
            tailText.getElement().removeAllChildren();
            tailText.getElement().appendChild(Element.createText(splitter.tail()));
        } else {
            tailText.getElement().appendChild(Element.createText(fresh));
        }
        tailText.setClassName("code", splitter.inCodeFence());
    }

    private Div block(String markdownBlock) {
        Div block = new Div();
        block.addClassName("block");
        block.getElement().setProperty("innerHTML", markdown.toHtml(markdownBlock));
        return block;
    }

    private void showOutcome(MessageStatus finalStatus, String errorText, String finishReason, Usage usage,
                             Duration elapsed) {
        status = finalStatus;
        addClassName(finalStatus.name().toLowerCase(Locale.ROOT));
        String time = seconds(elapsed);
        String label = switch (finalStatus) {
            case COMPLETE -> "done" + time + tokens(usage) + reason(finishReason);
            case FAILED -> "failed" + time;
            case STOPPED -> "stopped" + time + tokens(usage);
            case INTERRUPTED -> "interrupted";
            case STREAMING -> "generating…";
        };
        phase.setText(label);
        if (errorText != null && !errorText.isBlank()) {
            error.setText(errorText);
            error.setVisible(true);
        }
    }

    private static String seconds(Duration elapsed) {
        return elapsed == null || elapsed.isZero() ? "" : String.format(Locale.ROOT, " · %.1f s", elapsed.toMillis() / 1000.0);
    }

    private static String tokens(Usage usage) {
        return usage == null || usage.outputTokens() == 0 ? "" : " · " + usage.outputTokens() + " tokens";
    }

    private static String reason(String finishReason) {
        if (finishReason == null || finishReason.equals("STOP")) {
            return "";
        }
        return switch (finishReason) {
            case "MAX_TOKENS" -> " · cut off: max tokens";
            default -> " · " + finishReason.toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
