package dev.streamchat.ui;

import java.util.ArrayList;
import java.util.List;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeDetails;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.ui.markdown.Citations;
import dev.streamchat.ui.markdown.MarkdownRenderer;

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
    private NativeDetails thinkingBox;
    private Div thinkingBody;
    private MarkdownFlow thinking;
    private MarkdownFlow current;
    private int length;
    private int thinkingLength;
    /** The answer's text while it streams, to rebuild it when its web sources arrive; null once settled. */
    private StringBuilder streamingText;
    private Grounding grounding;
    /** The numbered sources under the answer; null while there are none. */
    private Div sourcesBox;

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
            row.addComponentAtIndex(row.indexOf(content), thinkingBox);
        }
    }

    /** Builds the parts from scratch: streaming flows that keep growing, or settled ones rendered once. */
    void build(String text, String thoughts, List<ToolPart> parts, boolean streaming) {
        build(text, thoughts, parts, streaming, null);
    }

    /** As {@link #build(String, String, List, boolean)}, with citation markers and sources when grounded. */
    void build(String text, String thoughts, List<ToolPart> parts, boolean streaming, Grounding sources) {
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
        buildAnswer(text, parts, streaming, sources);
    }

    /** The answer part only (text, tool cards, sources); the thinking stays as it is. */
    private void buildAnswer(String text, List<ToolPart> parts, boolean streaming, Grounding sources) {
        content.removeAll();
        content.getElement().removeProperty("innerHTML");
        cards.clear();
        grounding = sources;
        showSources();
        streamingText = streaming ? new StringBuilder(text) : null;
        current = null;
        if (!streaming && parts.isEmpty()) {
            // a finished answer of text only: its markup is the content's own, no element of its own
            content.getElement().setProperty("innerHTML", text.isEmpty() ? ""
                    : MarkdownFlow.settledHtml(Citations.mark(text, 0, sources), markdown));
            length = text.length();
            return;
        }
        int from = 0;
        for (ToolPart part : parts) {
            int anchor = Math.min(Math.max(part.anchor(), from), text.length());
            addText(Citations.mark(text.substring(from, anchor), from, sources), streaming);
            addCard(part);
            from = anchor;
        }
        addText(Citations.mark(text.substring(from), from, sources), streaming);
        length = text.length();
    }

    /**
     * The answer's web sources arrived or changed while it streams: the answer is shown again with
     * its citation markers (once or twice per answer), and the sources under it.
     */
    void ground(Grounding sources) {
        if (streamingText == null) {
            return;
        }
        List<ToolPart> parts = cards.stream().map(ToolCard::part).toList();
        buildAnswer(streamingText.toString(), parts, true, sources);
    }

    private void showSources() {
        String html = Citations.sourcesHtml(grounding);
        if (html.isEmpty()) {
            if (sourcesBox != null) {
                row.remove(sourcesBox);
                sourcesBox = null;
            }
            return;
        }
        if (sourcesBox == null) {
            sourcesBox = new Div();
            sourcesBox.addClassName("sources");
            sourcesBox.getElement().setAttribute("role", "group");
            sourcesBox.getElement().setAttribute("aria-label", "Sources");
            row.addComponentAtIndex(row.indexOf(content) + 1, sourcesBox);
        }
        sourcesBox.getElement().setProperty("innerHTML", html);
    }

    /** The last element of the body in the row: what the stats and error go after. */
    Div last() {
        return sourcesBox != null ? sourcesBox : content;
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

    /** @return false when the delta starts beyond what is shown (the body must be rebuilt) */
    boolean append(MessageEvent.Delta delta) {
        if (delta.end() <= length) {
            return true;
        }
        if (delta.offset() > length) {
            return false;
        }
        String fresh = length == delta.offset() ? delta.text() : delta.text().substring(length - delta.offset());
        if (length == 0 && thinkingBox.isOpen()) {
            thinkingBox.setOpen(false);
        }
        length += fresh.length();
        if (streamingText != null) {
            streamingText.append(fresh);
        }
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
            thinkingBox.setVisible(true);
            thinkingBox.setOpen(length == 0 && cards.isEmpty());
        }
        thinkingLength += fresh.length();
        thinking.append(fresh);
        return true;
    }

    /** @return false when the call is not the next one at the end of the answer (the body must be rebuilt) */
    boolean apply(ToolPart part) {
        if (part.seq() < cards.size()) {
            cards.get(part.seq()).update(part);
        } else if (part.seq() == cards.size() && part.anchor() == length) {
            if (thinkingBox.isOpen()) {
                thinkingBox.setOpen(false);
            }
            addCard(part);
        } else {
            return false;
        }
        return true;
    }

    /** The answer ended: its open tails become settled blocks, and the thinking closes. */
    void finish() {
        streamingText = null;
        if (thinking != null) {
            thinking.finish();
        }
        if (current != null) {
            current.finish();
        }
        if (thinkingBox != null) {
            thinkingBox.setOpen(false);
        }
    }
}
