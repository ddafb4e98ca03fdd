package dev.streamchat.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeDetails;
import com.vaadin.flow.component.html.Span;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.ToolPart;
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
    private final MarkdownRenderer markdown;
    private final int liveTailChars;
    /**
     * A row built for a streaming reply keeps components it updates (phase, actions); a row built
     * settled (a page of history) shows its header as markup in one element, and creates the
     * thinking section, stats and error only when it has them: a page of 50 rows costs a few
     * elements per row.
     */
    private final boolean live;
    private final Div header = new Div();
    private final Div content = new Div();
    private Span phase;
    private NativeDetails thinkingBox;
    private Div thinkingBody;
    private Div stats;
    private Div error;
    /**
     * Copy, delete…: shown on hover once the message has ended. Plain buttons in markup, which the
     * pane's single click listener turns into {@code messageAction} calls.
     */
    private Div actions;
    /** A settled row's header, as markup: who, which version, what happened, and the buttons. */
    private final String author;
    private String phaseText = "";
    private String versionsHtml = "";
    private String actionsHtml = "";
    /** The header markup changed while the row was not attached yet: written once, on attach. */
    private boolean headerPending;
    /** What each action button (and version switch) does, by its class name. */
    private final java.util.Map<String, Runnable> actionHandlers = new java.util.HashMap<>();
    private final List<ToolCard> cards = new ArrayList<>();
    /** Created when first offered: most rows never need it. */
    private Button retry;
    private com.vaadin.flow.shared.Registration retryRegistration;
    private MarkdownFlow thinking;
    private MarkdownFlow current;
    private int length;
    private int thinkingLength;
    private MessageStatus status;

    MessageRow(ChatMessage message, MarkdownRenderer markdown, int liveTailChars) {
        this.id = message.id();
        this.model = message.model();
        this.markdown = markdown;
        this.liveTailChars = liveTailChars;
        this.status = message.status();
        addClassNames("message", message.role().name().toLowerCase(Locale.ROOT));
        getElement().setAttribute("data-message-id", id.toString());

        this.live = message.isStreaming();
        this.author = message.role() == Role.USER ? "You" : message.model();
        header.addClassName("message-header");
        if (live) {
            Span who = new Span(author);
            who.addClassName("author");
            phase = new Span();
            phase.addClassName("phase");
            actions = new Div();
            actions.addClassName("actions");
            header.add(who, phase, actions);
        } else {
            renderHeader();
        }

        content.addClassName("content");
        if (message.role() == Role.USER) {
            content.addClassName("user-text");
            content.setText(message.text());
            add(header, content);
            return;
        }
        content.addClassName("markdown");
        // thinking, stats and error join the row when there is something to show in them
        add(header, content);

        build(message.text(), message.thinking(), message.parts(), message.isStreaming());
        if (message.isStreaming()) {
            addClassName("streaming");
            phase.setText(message.text().isEmpty() && message.parts().isEmpty() ? "waiting for model…" : "generating…");
        } else {
            showOutcome(message.status(), message.error(), message.finishReason(), message.usage(), message.elapsed(),
                    message.firstToken());
        }
    }

    MessageId messageId() {
        return id;
    }

    @Override
    protected void onAttach(com.vaadin.flow.component.AttachEvent attachEvent) {
        if (headerPending) {
            renderHeader();
        }
    }

    private Span versions;

    /** Shows which version of the message this is ("2 / 3"), with buttons to the neighbours (null: none). */
    void showVersions(int number, int count, Runnable previous, Runnable next) {
        putHandler("previous-version", previous);
        putHandler("next-version", next);
        versionsHtml = button("‹", "previous-version", "Previous version", previous == null)
                + "<span class=\"version-label\">" + number + " / " + count + "</span>"
                + button("›", "next-version", "Next version", next == null);
        if (!live) {
            renderHeader();
            return;
        }
        if (versions == null) {
            versions = new Span();
            versions.addClassName("versions");
            header.addComponentAtIndex(1, versions);
        }
        versions.getElement().setProperty("innerHTML", versionsHtml);
    }

    /** Adds an action button to the message's header (copy, delete…); the pane calls {@link #runAction}. */
    void addAction(String label, String className, String ariaLabel, Runnable action) {
        putHandler(className, action);
        actionsHtml += button(label, className, ariaLabel, false);
        if (live) {
            actions.getElement().setProperty("innerHTML", actionsHtml);
        } else {
            renderHeader();
        }
    }

    /**
     * The header of a settled row, in the same structure (and classes) as a live row's components.
     * A row gets its outcome, actions and versions one after the other before it is shown: the
     * markup is written once, when it is attached, and at once for a change after that.
     */
    private void renderHeader() {
        if (!isAttached()) {
            headerPending = true;
            return;
        }
        headerPending = false;
        header.getElement().setProperty("innerHTML", "<span class=\"author\">" + escape(author) + "</span>"
                + (versionsHtml.isEmpty() ? "" : "<span class=\"versions\">" + versionsHtml + "</span>")
                + "<span class=\"phase\">" + escape(phaseText) + "</span>"
                + "<div class=\"actions\">" + actionsHtml + "</div>");
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /** Runs the action a button of this row names; false if the row offers no such action. */
    boolean runAction(String className) {
        Runnable action = actionHandlers.get(className);
        if (action == null) {
            return false;
        }
        action.run();
        return true;
    }

    private void putHandler(String className, Runnable action) {
        if (action == null) {
            actionHandlers.remove(className);
        } else {
            actionHandlers.put(className, action);
        }
    }

    /** Labels and class names come from this code, never from a message: no escaping needed. */
    private static String button(String label, String className, String ariaLabel, boolean disabled) {
        return "<button type=\"button\" class=\"action " + className + "\" data-action=\"" + className
                + "\" aria-label=\"" + ariaLabel + "\"" + (disabled ? " disabled" : "") + ">" + label + "</button>";
    }

    private Div editor;

    /**
     * Replaces the prompt's text with an editor holding {@code text}; Send hands the new text to
     * {@code send}, which says whether it was accepted (the editor stays open otherwise).
     */
    void openEditor(String text, java.util.function.Predicate<String> send) {
        if (editor != null) {
            return;
        }
        com.vaadin.flow.component.textfield.TextArea area = new com.vaadin.flow.component.textfield.TextArea();
        area.addClassName("edit-text");
        area.setAriaLabel("Edited message");
        area.setValue(text);
        area.setWidthFull();
        area.setMaxHeight("12em");
        Button save = new Button("Send", e -> {
            if (send.test(area.getValue())) {
                closeEditor();
            }
        });
        save.addClassName("send-edit");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
        Button cancel = new Button("Cancel", e -> closeEditor());
        cancel.addClassName("cancel-edit");
        cancel.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        Div buttons = new Div(cancel, save);
        buttons.addClassName("edit-buttons");
        editor = new Div(area, buttons);
        editor.addClassName("prompt-editor");
        content.setVisible(false);
        add(editor);
        area.focus();
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
        getElement().executeJs(COPY_JS, text);
    }

    static final String COPY_JS = """
            const text = $0;
            const fallback = () => {
              const area = document.createElement('textarea');
              area.value = text;
              area.style.position = 'fixed';
              area.style.opacity = '0';
              document.body.appendChild(area);
              area.select();
              document.execCommand('copy');
              area.remove();
            };
            if (navigator.clipboard && window.isSecureContext) {
              navigator.clipboard.writeText(text).catch(fallback);
            } else {
              fallback();
            }
            this.setAttribute('data-copied', '');
            setTimeout(() => this.removeAttribute('data-copied'), 1500);""";

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
        return length;
    }

    List<ToolCard> toolCards() {
        return List.copyOf(cards);
    }

    /** The thinking section; null for a settled answer without thinking. */
    NativeDetails thinkingSection() {
        return thinkingBox;
    }

    private void ensureThinking() {
        if (thinkingBox == null) {
            thinkingBox = new NativeDetails();
            thinkingBox.addClassName("thinking");
            thinkingBox.setSummaryText("Thinking");
            thinkingBody = new Div();
            thinkingBody.addClassNames("thinking-body", "markdown");
            thinkingBox.setContent(thinkingBody);
            addComponentAtIndex(1, thinkingBox); // between the header and the answer
        }
    }

    /** Builds the parts from scratch: streaming flows that keep growing, or settled ones rendered once. */
    private void build(String text, String thoughts, List<ToolPart> parts, boolean streaming) {
        content.removeAll();
        content.getElement().removeProperty("innerHTML");
        cards.clear();
        thinkingLength = thoughts.length();
        if (streaming || !thoughts.isEmpty()) {
            ensureThinking();
            thinkingBody.removeAll();
            thinking = streaming ? new MarkdownFlow(markdown, liveTailChars) : MarkdownFlow.settled(thoughts, markdown);
            thinkingBody.add(thinking);
            if (streaming) {
                thinking.append(thoughts);
            }
            thinkingBox.setVisible(!thoughts.isEmpty());
            // open while only thoughts are coming; closed (and reopenable) once the answer starts
            thinkingBox.setOpen(streaming && text.isEmpty() && parts.isEmpty());
        } else {
            thinking = null; // a finished answer without thinking: no section at all
        }
        current = null;
        if (!streaming && parts.isEmpty()) {
            // a finished answer of text only: its markup is the content's own, no element of its own
            content.getElement().setProperty("innerHTML", text.isEmpty() ? "" : MarkdownFlow.settledHtml(text, markdown));
            length = text.length();
            return;
        }
        int from = 0;
        for (ToolPart part : parts) {
            int anchor = Math.min(Math.max(part.anchor(), from), text.length());
            addText(text.substring(from, anchor), streaming);
            addCard(part);
            from = anchor;
        }
        addText(text.substring(from), streaming);
        length = text.length();
    }

    private void addText(String text, boolean streaming) {
        if (streaming) {
            if (current == null) {
                current = new MarkdownFlow(markdown, liveTailChars);
                content.add(current);
            }
            current.append(text);
        } else if (!text.isEmpty()) {
            content.add(MarkdownFlow.settled(text, markdown));
        }
    }

    private void addCard(ToolPart part) {
        if (current != null) {
            current.finish();
            current = null;
        }
        ToolCard card = new ToolCard(part);
        cards.add(card);
        content.add(card);
    }

    void apply(MessageEvent.PhaseChanged event) {
        if (!isStreaming()) {
            return;
        }
        phase.setText(switch (event.phase()) {
            case WAITING -> cards.isEmpty() ? "waiting for model…" : "tool results sent, waiting for model…";
            case GENERATING -> "generating…";
            case RETRYING -> event.detail();
        });
    }

    /** @param reload the reply so far, used only after a gap */
    void apply(MessageEvent.Delta delta, Supplier<LiveReply> reload) {
        if (!isStreaming() || delta.end() <= length) {
            return;
        }
        if (delta.offset() > length) {
            resync(reload.get());
            return;
        }
        String fresh = length == delta.offset() ? delta.text() : delta.text().substring(length - delta.offset());
        if (length == 0 && thinkingBox.isOpen()) {
            thinkingBox.setOpen(false);
        }
        length += fresh.length();
        addText(fresh, true);
    }

    void apply(MessageEvent.ThoughtDelta delta, Supplier<LiveReply> reload) {
        if (!isStreaming() || delta.end() <= thinkingLength) {
            return;
        }
        if (delta.offset() > thinkingLength) {
            resync(reload.get());
            return;
        }
        String fresh = thinkingLength == delta.offset()
                ? delta.text()
                : delta.text().substring(thinkingLength - delta.offset());
        if (thinkingLength == 0) {
            thinkingBox.setVisible(true);
            thinkingBox.setOpen(length == 0 && cards.isEmpty());
            if (length == 0) {
                phase.setText("thinking…");
            }
        }
        thinkingLength += fresh.length();
        thinking.append(fresh);
    }

    void apply(MessageEvent.ToolUpdate update, Supplier<LiveReply> reload) {
        if (!isStreaming()) {
            return;
        }
        ToolPart part = update.part();
        if (part.seq() < cards.size()) {
            cards.get(part.seq()).update(part);
        } else if (part.seq() == cards.size() && part.anchor() == length) {
            if (thinkingBox.isOpen()) {
                thinkingBox.setOpen(false);
            }
            addCard(part);
        } else {
            resync(reload.get());
        }
    }

    /** @param reload the reply as it ended, used only if this row missed some of it */
    void apply(MessageEvent.Finished finished, Supplier<LiveReply> reload) {
        if (!isStreaming()) {
            return;
        }
        if (length != finished.length() || thinkingLength != finished.thinkingLength()) {
            resync(reload.get());
        }
        if (thinking != null) {
            thinking.finish();
        }
        if (current != null) {
            current.finish();
        }
        if (thinkingBox != null) {
            thinkingBox.setOpen(false);
        }
        removeClassName("streaming");
        showOutcome(finished.status(), finished.error(), finished.finishReason(), finished.usage(),
                finished.elapsed(), finished.firstToken());
    }

    private void resync(LiveReply reply) {
        build(reply.text(), reply.thinking(), reply.parts(), true);
    }

    private void showOutcome(MessageStatus finalStatus, String errorText, String finishReason, Usage usage,
                             Duration elapsed, Duration firstToken) {
        status = finalStatus;
        addClassName(finalStatus.name().toLowerCase(Locale.ROOT));
        String time = seconds(elapsed);
        String label = switch (finalStatus) {
            case COMPLETE -> "done" + time;
            case FAILED -> "failed" + time;
            case STOPPED -> "stopped" + time;
            case INTERRUPTED -> "interrupted";
            case STREAMING -> "generating…";
        };
        if (live) {
            phase.setText(label);
        } else {
            phaseText = label;
            renderHeader();
        }
        String line = stats(model, usage, elapsed, firstToken, finishReason);
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

    /**
     * Model, time to first token, output speed, token counts and, unless it is STOP, why the model
     * stopped: "gemini-2.5-flash · first token 0.4 s · 52 tokens/s · 7 in · 120 out · 64 thinking".
     */
    static String stats(String model, Usage usage, Duration elapsed, Duration firstToken, String finishReason) {
        List<String> items = new ArrayList<>();
        if (model != null) {
            items.add(model);
        }
        if (firstToken != null) {
            items.add(String.format(Locale.ROOT, "first token %.1f s", firstToken.toMillis() / 1000.0));
        }
        Usage counts = usage == null ? Usage.NONE : usage;
        if (counts.outputTokens() > 0 && elapsed != null && firstToken != null) {
            long generatingMillis = elapsed.minus(firstToken).toMillis();
            if (generatingMillis > 0) {
                items.add(String.format(Locale.ROOT, "%.0f tokens/s", counts.totalOutput() * 1000.0 / generatingMillis));
            }
        }
        if (counts.inputTokens() > 0 || counts.outputTokens() > 0) {
            items.add(counts.inputTokens() + " in");
            items.add(counts.outputTokens() + " out");
        }
        if (counts.thoughtTokens() > 0) {
            items.add(counts.thoughtTokens() + " thinking");
        }
        String reason = reason(finishReason);
        if (reason != null) {
            items.add(reason);
        }
        return items.size() <= 1 && reason == null ? "" : String.join(" · ", items);
    }

    private static String seconds(Duration elapsed) {
        return elapsed == null || elapsed.isZero() ? "" : String.format(Locale.ROOT, " · %.1f s", elapsed.toMillis() / 1000.0);
    }

    /** Why the model stopped, when it is not the normal end. */
    static String reason(String finishReason) {
        if (finishReason == null || finishReason.equals("STOP")) {
            return null;
        }
        return switch (finishReason) {
            case "MAX_TOKENS" -> "stopped: max tokens";
            case "SAFETY", "IMAGE_SAFETY" -> "blocked: safety";
            case "RECITATION" -> "blocked: recitation";
            case "BLOCKLIST", "PROHIBITED_CONTENT", "SPII" -> "blocked: " + finishReason.toLowerCase(Locale.ROOT).replace('_', ' ');
            case "MALFORMED_FUNCTION_CALL" -> "stopped: malformed tool call";
            case "TOOL_LIMIT" -> "stopped: tool-call limit";
            default -> "stopped: " + finishReason.toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
