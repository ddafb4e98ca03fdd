package dev.streamchat.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeDetails;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.ui.markdown.MarkdownRenderer;
import org.jspecify.annotations.Nullable;

/**
 * The body of an answer: a collapsible "Thinking" section (put into the row above the answer when
 * there is thinking to show) and the answer's markdown, with tool cards standing where the model
 * called them. While the answer streams, each settled markdown block is rendered once and only the
 * open tail again.
 * <p>
 * Deltas carry their offset (answer and thinking each have their own), tool updates their part
 * index and the answer offset they stand at: what is already shown is skipped, and a part that
 * starts beyond it is refused, so that the row rebuilds the body from the reply so far.
 */
final class AnswerBody {

    private final Div row;
    private final MarkdownRenderer markdown;
    private final int liveTailChars;
    private final Div content;
    private final List<ToolCard> cards = new ArrayList<>();
    /** The thinking section, made on first need; null for a settled answer without thinking. */
    private @Nullable ThinkingSection thinkingSection;
    private @Nullable MarkdownFlow thinking;
    /** The streaming text after the last tool card; null until text follows it. */
    private @Nullable MarkdownFlow current;
    private int length;
    private int thinkingLength;

    /** @param content the row's element for the answer; the thinking section goes into the row before it */
    AnswerBody(Div row, Div content, MarkdownRenderer markdown, int liveTailChars) {
        this.row = row;
        this.content = content;
        this.markdown = markdown;
        this.liveTailChars = liveTailChars;
    }

    /** Length of the answer text shown, in UTF-16 units. */
    int length() {
        return length;
    }

    int thinkingLength() {
        return thinkingLength;
    }

    List<ToolCard> cards() {
        return List.copyOf(cards);
    }

    /** The thinking section; null for a settled answer without thinking. */
    @Nullable NativeDetails thinkingSection() {
        ThinkingSection section = thinkingSection;
        return section == null ? null : section.box();
    }

    private record ThinkingSection(NativeDetails box, Div body) {
    }

    /** The thinking section, made now if there is none yet. */
    private ThinkingSection ensureThinking() {
        ThinkingSection section = thinkingSection;
        if (section == null) {
            NativeDetails box = new NativeDetails();
            box.addClassName("thinking");
            box.setSummaryText("Thinking");
            Div body = new Div();
            body.addClassNames("thinking-body", "markdown");
            box.setContent(body);
            row.addComponentAtIndex(row.indexOf(content), box);
            section = new ThinkingSection(box, body);
            thinkingSection = section;
        }
        return section;
    }

    /** The thinking section of a streaming answer, which {@link #build} always makes. */
    private NativeDetails liveThinkingBox() {
        return Objects.requireNonNull(thinkingSection, "a streaming answer has a thinking section").box();
    }

    /** Builds the parts from scratch: streaming flows that keep growing, or settled ones rendered once. */
    void build(String text, String thoughts, List<ToolPart> parts, boolean streaming) {
        content.removeAll();
        content.getElement().removeProperty("innerHTML");
        cards.clear();
        thinkingLength = thoughts.length();
        if (streaming || !thoughts.isEmpty()) {
            ThinkingSection section = ensureThinking();
            NativeDetails box = section.box();
            section.body().removeAll();
            MarkdownFlow flow = streaming ? new MarkdownFlow(markdown, liveTailChars) : MarkdownFlow.settled(thoughts, markdown);
            thinking = flow;
            section.body().add(flow);
            if (streaming) {
                flow.append(thoughts);
            }
            box.setVisible(!thoughts.isEmpty());
            // open while only thoughts are coming; closed (and reopenable) once the answer starts
            box.setOpen(streaming && text.isEmpty() && parts.isEmpty());
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
            MarkdownFlow flow = current;
            if (flow == null) {
                flow = new MarkdownFlow(markdown, liveTailChars);
                content.add(flow);
                current = flow;
            }
            flow.append(text);
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

    /** @return false when the delta starts beyond what is shown (the body must be rebuilt) */
    boolean append(MessageEvent.Delta delta) {
        if (delta.end() <= length) {
            return true;
        }
        if (delta.offset() > length) {
            return false;
        }
        String fresh = length == delta.offset() ? delta.text() : delta.text().substring(length - delta.offset());
        if (length == 0 && liveThinkingBox().isOpen()) {
            liveThinkingBox().setOpen(false);
        }
        length += fresh.length();
        addText(fresh, true);
        return true;
    }

    /** @return false when the delta starts beyond what is shown (the body must be rebuilt) */
    boolean append(MessageEvent.ThoughtDelta delta) {
        if (delta.end() <= thinkingLength) {
            return true;
        }
        if (delta.offset() > thinkingLength) {
            return false;
        }
        String fresh = thinkingLength == delta.offset()
                ? delta.text()
                : delta.text().substring(thinkingLength - delta.offset());
        if (thinkingLength == 0) {
            liveThinkingBox().setVisible(true);
            liveThinkingBox().setOpen(length == 0 && cards.isEmpty());
        }
        thinkingLength += fresh.length();
        Objects.requireNonNull(thinking, "a streaming answer has its thinking flow").append(fresh);
        return true;
    }

    /** @return false when the call is not the next one at the end of the answer (the body must be rebuilt) */
    boolean apply(ToolPart part) {
        if (part.seq() < cards.size()) {
            cards.get(part.seq()).update(part);
        } else if (part.seq() == cards.size() && part.anchor() == length) {
            if (liveThinkingBox().isOpen()) {
                liveThinkingBox().setOpen(false);
            }
            addCard(part);
        } else {
            return false;
        }
        return true;
    }

    /** The answer ended: its open tails become settled blocks, and the thinking closes. */
    void finish() {
        if (thinking != null) {
            thinking.finish();
        }
        if (current != null) {
            current.finish();
        }
        if (thinkingSection != null) {
            thinkingSection.box().setOpen(false);
        }
    }
}
