package dev.streamchat.ui.markdown;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a growing markdown text into blocks that can no longer change (settled) and the
 * open tail. A streaming message renders each settled block once and re-renders only the
 * tail, so the browser's work per delta stays small however long the answer grows.
 * <p>
 * A block settles when a later top-level block starts after a blank line, or when a
 * fenced code block closes. Only whole lines are examined, each once.
 */
public final class BlockSplitter {

	private final StringBuilder tail = new StringBuilder();

	/** Start of the first line of the tail not examined yet. */
	private int scanFrom;

	private boolean afterBlank;

	private boolean inFence;

	private char fenceChar;

	private int fenceLength;

	/** Appends streamed text; returns the blocks it settled, in order (often none). */
	public List<String> append(String text) {
		tail.append(text);
		List<String> settled = new ArrayList<>(1);
		int settledUpTo = 0;
		int lineEnd;
		while ((lineEnd = tail.indexOf("\n", scanFrom)) >= 0) {
			int lineStart = scanFrom;
			scanFrom = lineEnd + 1;
			if (inFence) {
				if (closesFence(lineStart, lineEnd)) {
					inFence = false;
					settledUpTo = settle(settled, settledUpTo, scanFrom);
				}
				continue;
			}
			if (isBlank(lineStart, lineEnd)) {
				afterBlank = true;
				continue;
			}
			if (afterBlank && !Character.isWhitespace(tail.charAt(lineStart))) {
				settledUpTo = settle(settled, settledUpTo, lineStart);
			}
			afterBlank = false;
			opensFence(lineStart, lineEnd);
		}
		if (settledUpTo > 0) {
			tail.delete(0, settledUpTo);
			scanFrom -= settledUpTo;
		}
		return settled;
	}

	/** The text not settled yet. */
	public String tail() {
		return tail.toString();
	}

	public int tailLength() {
		return tail.length();
	}

	/** Whether the tail is inside a fenced code block. */
	public boolean inCodeFence() {
		return inFence;
	}

	/** Ends the text: the tail becomes the last block (if it holds anything). */
	public List<String> finish() {
		String rest = tail.toString();
		tail.setLength(0);
		scanFrom = 0;
		afterBlank = false;
		inFence = false;
		return rest.isBlank() ? List.of() : List.of(rest);
	}

	/** Splits a complete text the same way a stream of it would have been split. */
	public static List<String> split(String text) {
		BlockSplitter splitter = new BlockSplitter();
		List<String> blocks = new ArrayList<>(splitter.append(text));
		blocks.addAll(splitter.finish());
		return blocks;
	}

	private int settle(List<String> settled, int from, int to) {
		if (to > from) {
			String block = tail.substring(from, to);
			if (!block.isBlank()) {
				settled.add(block);
			}
		}
		return to;
	}

	private boolean isBlank(int start, int end) {
		for (int i = start; i < end; i++) {
			if (!Character.isWhitespace(tail.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private void opensFence(int start, int end) {
		int i = skipSpaces(start, end);
		if (i >= end) {
			return;
		}
		char c = tail.charAt(i);
		if (c != '`' && c != '~') {
			return;
		}
		int run = run(i, end, c);
		if (run >= 3) {
			inFence = true;
			fenceChar = c;
			fenceLength = run;
		}
	}

	private boolean closesFence(int start, int end) {
		int i = skipSpaces(start, end);
		int run = run(i, end, fenceChar);
		return run >= fenceLength && isBlank(i + run, end);
	}

	private int skipSpaces(int start, int end) {
		int i = start;
		while (i < end && (tail.charAt(i) == ' ' || tail.charAt(i) == '\t')) {
			i++;
		}
		return i;
	}

	private int run(int start, int end, char c) {
		int i = start;
		while (i < end && tail.charAt(i) == c) {
			i++;
		}
		return i - start;
	}

}
