package dev.streamchat.ui;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.MessageId;
import dev.streamchat.ui.markdown.BlockSplitter;
import dev.streamchat.ui.markdown.MarkdownRenderer;

/**
 * Renders a pane's streaming markdown before the push takes the session lock, so the lock
 * that all of a user's tabs share is not held while markdown is parsed. The push thread
 * follows each streaming reply's text with a splitter of its own and renders the blocks
 * it settles and, once per push, the open tail; the rows, applying the same text under
 * the lock, find that markup by its source ({@link #renderer()}) instead of rendering it
 * again. Whatever was not rendered ahead (a tail that starts after a tool card, a row
 * that caught up from storage) is rendered as before.
 *
 * <p>
 * The following runs only in the prepare step of this pane's session pushes, which run
 * one at a time, so its state needs no lock; the markup waits in a concurrent map until
 * the lock's holder takes it (markup depends on its source alone, so whoever takes it
 * gets the right one).
 */
final class PreparedMarkdown {

	/**
	 * Markup not taken (a row that did not need it) is dropped once there is this much of
	 * it.
	 */
	private static final int LEFTOVERS = 64;

	private final MarkdownRenderer markdown;

	private final int liveTailChars;

	/** Markup by its markdown source, rendered ahead for the current push. */
	private final Map<String, String> ahead = new ConcurrentHashMap<>();

	private final MarkdownRenderer renderer;

	/** The push thread's copy of each streaming reply's text. */
	private final Map<MessageId, BlockSplitter> replies = new HashMap<>();

	private final Map<MessageId, Integer> lengths = new HashMap<>();

	/** Replies whose tail changed in the current push. */
	private final Set<MessageId> touched = new LinkedHashSet<>();

	private boolean following;

	PreparedMarkdown(MarkdownRenderer markdown, int liveTailChars) {
		this.markdown = markdown;
		this.liveTailChars = liveTailChars;
		this.renderer = markdown.renderingAhead(ahead);
	}

	/**
	 * The renderer for this pane's rows: markup rendered ahead when there is some, else
	 * rendered now.
	 */
	MarkdownRenderer renderer() {
		return renderer;
	}

	/**
	 * Push thread: follows a delta of a streaming reply, rendering each block it settles.
	 * @param textSoFar the reply's text as this server knows it, to start following a
	 * reply midway (or again after a gap)
	 * @return whether this is the push's first delta, so its tails still need rendering
	 */
	boolean follow(MessageEvent.Delta delta, Supplier<Optional<String>> textSoFar) {
		boolean first = !following;
		if (first) {
			following = true;
			// markup is a function of its source, so a leftover is never wrong, only kept
			// too long
			if (ahead.size() > LEFTOVERS) {
				ahead.clear();
			}
		}
		MessageId id = delta.messageId();
		BlockSplitter splitter = replies.get(id);
		int length = lengths.getOrDefault(id, 0);
		if (splitter == null || delta.offset() > length) {
			String text = textSoFar.get().orElse(null);
			if (text == null) {
				forget(id);
				return first;
			}
			splitter = new BlockSplitter();
			splitter.append(text); // blocks settled before: the rows have them already
			length = text.length();
			replies.put(id, splitter);
		}
		if (delta.end() > length) {
			String fresh = delta.text().substring(length - delta.offset());
			for (String block : splitter.append(fresh)) {
				ahead.put(block, markdown.toHtml(block));
			}
			length = delta.end();
		}
		lengths.put(id, length);
		touched.add(id);
		return first;
	}

	/**
	 * Push thread, after the push's deltas: renders each changed reply's open tail once.
	 */
	void renderTails() {
		following = false;
		for (MessageId id : touched) {
			BlockSplitter splitter = replies.get(id);
			if (splitter != null && splitter.tailLength() > 0 && splitter.tailLength() <= liveTailChars) {
				String tail = splitter.tail();
				ahead.put(tail, markdown.toHtml(tail));
			}
		}
		touched.clear();
	}

	/** Markup rendered ahead and not taken yet. */
	int waiting() {
		return ahead.size();
	}

	/** Push thread: the reply ended (or is shown anew); stop following it. */
	void forget(MessageId id) {
		replies.remove(id);
		lengths.remove(id);
		touched.remove(id);
	}

	/** Push thread: the pane shows another path; follow from scratch. */
	void forgetAll() {
		replies.clear();
		lengths.clear();
		touched.clear();
	}

}
