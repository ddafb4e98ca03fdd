package dev.streamchat.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.dom.Element;
import dev.streamchat.ui.markdown.BlockSplitter;
import dev.streamchat.ui.markdown.MarkdownRenderer;

/**
 * A run of markdown that may still be growing: each settled block is rendered once and only the
 * open tail is re-rendered as text arrives; a long open block (a big code block, say) streams as
 * plain text until it closes. Once {@link #finish() finished} it is never touched again.
 */
final class MarkdownFlow extends Div {

    private final MarkdownRenderer markdown;
    private final int liveTailChars;
    // a growing flow's parts; a settled flow has none (its markup is its own, see settled())
    private Div blocks;
    /** The open tail rendered as markdown, while it is short. */
    private Div tailHtml;
    /** The open tail as plain text nodes, once it is too long to re-render on every push. */
    private Div tailText;
    private BlockSplitter splitter;
    private boolean tailRenderPending;

    /** A flow that grows with {@link #append}. */
    MarkdownFlow(MarkdownRenderer markdown, int liveTailChars) {
        this.markdown = markdown;
        this.liveTailChars = liveTailChars;
        addClassName("flow");
        blocks = new Div();
        tailHtml = new Div();
        tailText = new Div();
        blocks.addClassName("blocks");
        tailHtml.addClassNames("tail", "tail-html");
        tailText.addClassNames("tail", "tail-text");
        add(blocks, tailHtml, tailText);
        splitter = new BlockSplitter();
    }

    private MarkdownFlow(MarkdownRenderer markdown) {
        this.markdown = markdown;
        this.liveTailChars = 0;
        addClassName("flow");
    }

    /**
     * A flow of finished text, rendered once, as one element: the same block markup a growing flow
     * ends with, without a server-side element per block (each costs heap in every open tab).
     */
    static MarkdownFlow settled(String text, MarkdownRenderer markdown) {
        MarkdownFlow flow = new MarkdownFlow(markdown);
        flow.getElement().setProperty("innerHTML", blocksHtml(text, markdown));
        return flow;
    }

    /** The markup of a settled flow, element and all, for a parent that holds nothing else. */
    static String settledHtml(String text, MarkdownRenderer markdown) {
        return "<div class=\"flow\">" + blocksHtml(text, markdown) + "</div>";
    }

    private static String blocksHtml(String text, MarkdownRenderer markdown) {
        StringBuilder html = new StringBuilder("<div class=\"blocks\">");
        for (String block : BlockSplitter.split(text)) {
            html.append("<div class=\"block\">").append(withCopyButtons(markdown.toHtml(block))).append("</div>");
        }
        return html.append("</div>").toString();
    }

    boolean isFinished() {
        return splitter == null;
    }

    void append(String fresh) {
        if (fresh.isEmpty() || splitter == null) {
            return;
        }
        var settled = splitter.append(fresh);
        for (String block : settled) {
            blocks.add(block(block));
        }
        if (splitter.tailLength() <= liveTailChars) {
            if (tailText.getElement().getChildCount() > 0) {
                tailText.getElement().removeAllChildren();
            }
            renderTailBeforeResponse();
        } else if (!settled.isEmpty() || tailText.getElement().getChildCount() == 0) {
            tailHtml.getElement().setProperty("innerHTML", "");
            tailText.getElement().removeAllChildren();
            tailText.getElement().appendChild(Element.createText(splitter.tail()));
        } else {
            tailText.getElement().appendChild(Element.createText(fresh));
        }
        tailText.setClassName("code", splitter.inCodeFence());
    }

    /**
     * Several deltas often arrive for one push, and only the last rendering of the tail would reach
     * the browser: render it once, just before the response, instead of once per delta.
     */
    private void renderTailBeforeResponse() {
        var ui = getUI();
        if (ui.isEmpty()) {
            renderTail();
        } else if (!tailRenderPending) {
            tailRenderPending = true;
            ui.get().beforeClientResponse(this, context -> renderTail());
        }
    }

    private void renderTail() {
        tailRenderPending = false;
        if (splitter != null && splitter.tailLength() <= liveTailChars) {
            tailHtml.getElement().setProperty("innerHTML", markdown.toHtml(splitter.tail()));
        }
    }

    /** Renders the tail as a final block; the flow is done. */
    void finish() {
        if (splitter == null) {
            return;
        }
        for (String block : splitter.finish()) {
            blocks.add(block(block));
        }
        settle();
    }

    private void settle() {
        splitter = null;
        if (tailHtml == null) {
            return;
        }
        if (tailHtml.getElement().getPropertyRaw("innerHTML") != null) {
            tailHtml.getElement().setProperty("innerHTML", "");
        }
        tailText.removeAll();
        tailText.removeClassName("code"); // an empty code-styled box would stay under the last block
    }

    private Div block(String markdownBlock) {
        Div block = new Div();
        block.addClassName("block");
        block.getElement().setProperty("innerHTML", withCopyButtons(markdown.toHtml(markdownBlock)));
        return block;
    }

    /**
     * A settled code block gets a copy button; the pane's click handler copies the code next to it
     * in the browser, without a round trip. The block is focusable, so a long line can be scrolled
     * sideways from the keyboard. Model text is HTML-escaped by the renderer, so a
     * {@code <pre>} here can only be the renderer's own.
     */
    static String withCopyButtons(String html) {
        if (!html.contains("<pre>")) {
            return html;
        }
        return html.replace("<pre>", "<div class=\"code-block\"><button class=\"copy-code\" type=\"button\" "
                + "aria-label=\"Copy code\">Copy</button><pre tabindex=\"0\">").replace("</pre>", "</pre></div>");
    }
}
