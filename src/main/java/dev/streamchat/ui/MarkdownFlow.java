package dev.streamchat.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.dom.Element;
import dev.streamchat.ui.markdown.BlockSplitter;
import dev.streamchat.ui.markdown.MarkdownRenderer;
import dev.streamchat.ui.markdown.Markup;
import org.jspecify.annotations.Nullable;

/**
 * A run of markdown that may still be growing: each settled block is rendered once and
 * only the open tail is re-rendered as text arrives; a long open block (a big code block,
 * say) streams as plain text until it closes. Once {@link #finish() finished} it is never
 * touched again. A settled text's flow is markup only ({@link #settledHtml}).
 */
final class MarkdownFlow extends Div {

	private final MarkdownRenderer markdown;

	private final int liveTailChars;

	private final Parts parts;

	/** Splits the flow's text into blocks; null once the flow is finished. */
	private @Nullable BlockSplitter splitter;

	private boolean tailRenderPending;

	/**
	 * @param tailHtml the open tail rendered as markdown, while it is short
	 * @param tailText the open tail as plain text nodes, once it is too long to re-render
	 * on every push
	 */
	private record Parts(Div blocks, Div tailHtml, Div tailText) {
	}

	/** A flow that grows with {@link #append}. */
	MarkdownFlow(MarkdownRenderer markdown, int liveTailChars) {
		this.markdown = markdown;
		this.liveTailChars = liveTailChars;
		addClassName("flow");
		Div blocks = new Div();
		Div tailHtml = new Div();
		Div tailText = new Div();
		blocks.addClassName("blocks");
		tailHtml.addClassNames("tail", "tail-html");
		tailText.addClassNames("tail", "tail-text");
		add(blocks, tailHtml, tailText);
		parts = new Parts(blocks, tailHtml, tailText);
		splitter = new BlockSplitter();
	}

	/**
	 * The markup of a flow of finished text, element and all: the same block markup a
	 * growing flow ends with, without a server-side element per block (each costs heap in
	 * every open tab).
	 */
	static String settledHtml(String text, MarkdownRenderer markdown) {
		return Markup.wrap("div", "flow", blocksHtml(text, markdown));
	}

	private static String blocksHtml(String text, MarkdownRenderer markdown) {
		StringBuilder html = new StringBuilder();
		for (String block : BlockSplitter.split(text)) {
			html.append(Markup.wrap("div", "block", markdown.toBlockHtml(block)));
		}
		return Markup.wrap("div", "blocks", html.toString());
	}

	boolean isFinished() {
		return splitter == null;
	}

	void append(String fresh) {
		BlockSplitter splitter = this.splitter;
		if (fresh.isEmpty() || splitter == null) {
			return;
		}
		Div tailHtml = parts.tailHtml();
		Div tailText = parts.tailText();
		var settled = splitter.append(fresh);
		for (String block : settled) {
			parts.blocks().add(block(block));
		}
		if (splitter.tailLength() <= liveTailChars) {
			if (tailText.getElement().getChildCount() > 0) {
				tailText.getElement().removeAllChildren();
			}
			renderTailBeforeResponse();
		}
		else if (!settled.isEmpty() || tailText.getElement().getChildCount() == 0) {
			tailHtml.getElement().setProperty("innerHTML", "");
			tailText.getElement().removeAllChildren();
			tailText.getElement().appendChild(Element.createText(splitter.tail()));
		}
		else {
			tailText.getElement().appendChild(Element.createText(fresh));
		}
		tailText.setClassName("code", splitter.inCodeFence());
	}

	/**
	 * Several deltas often arrive for one push, and only the last rendering of the tail
	 * would reach the browser: render it once, just before the response, instead of once
	 * per delta.
	 */
	private void renderTailBeforeResponse() {
		var ui = getUI();
		if (ui.isEmpty()) {
			renderTail();
		}
		else if (!tailRenderPending) {
			tailRenderPending = true;
			ui.get().beforeClientResponse(this, context -> renderTail());
		}
	}

	private void renderTail() {
		tailRenderPending = false;
		if (splitter != null && splitter.tailLength() <= liveTailChars) {
			parts.tailHtml().getElement().setProperty("innerHTML", markdown.toHtml(splitter.tail()));
		}
	}

	/** Renders the tail as a final block; the flow is done. */
	void finish() {
		BlockSplitter splitter = this.splitter;
		if (splitter == null) {
			return;
		}
		for (String block : splitter.finish()) {
			parts.blocks().add(block(block));
		}
		settle();
	}

	private void settle() {
		splitter = null;
		Div tailHtml = parts.tailHtml();
		if (tailHtml.getElement().getPropertyRaw("innerHTML") != null) {
			tailHtml.getElement().setProperty("innerHTML", "");
		}
		parts.tailText().removeAll();
		// an empty code-styled box would stay under the last block
		parts.tailText().removeClassName("code");
	}

	/**
	 * A settled block: the browser highlights, typesets and draws it once, when it is
	 * added (frontend/render.js).
	 */
	private Div block(String markdownBlock) {
		Div block = new Div();
		block.addClassName("block");
		block.getElement().setProperty("innerHTML", markdown.toBlockHtml(markdownBlock));
		return block;
	}

}
