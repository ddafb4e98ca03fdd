package dev.streamchat.ui.markdown;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds TeX math in markdown before the markdown parser sees it, and puts it back
 * afterwards as spans for the browser to typeset. Markdown would otherwise mangle it:
 * {@code \(} and {@code \\} are escapes to commonmark, and {@code _} or {@code *} inside
 * a formula read as emphasis.
 * <p>
 * Recognised: {@code $$…$$} and {@code \[…\]} (display), {@code \(…\)} and {@code $…$}
 * (inline). An inline {@code $…$} follows Pandoc's rule, stricter: the opening {@code $}
 * is followed by a non-space, the very next {@code $} on the line closes it, is preceded
 * by a non-space and not followed by a digit; so prices ("$5 and $10") stay text. Nothing
 * inside code (fenced blocks, backtick spans) is math, and {@code \$} is a literal
 * dollar.
 */
final class MathSpans {

	/**
	 * Stands in for a span while the markdown is parsed: private-use characters markdown
	 * leaves alone.
	 */
	private static final char OPEN = '\uE000';

	private static final char CLOSE = '\uE001';

	private final String markdown;

	private final List<String> spans = new ArrayList<>();

	private final StringBuilder out;

	private MathSpans(String markdown) {
		this.markdown = markdown;
		this.out = new StringBuilder(markdown.length());
	}

	/** The markdown with every math span replaced by a placeholder. */
	static MathSpans protect(String markdown) {
		MathSpans math = new MathSpans(markdown);
		if (markdown.indexOf('$') >= 0 || markdown.indexOf('\\') >= 0) {
			math.scan();
		}
		else {
			math.out.append(markdown);
		}
		return math;
	}

	String markdown() {
		return out.toString();
	}

	/** The rendered HTML with the placeholders turned into math spans. */
	String restore(String html) {
		if (spans.isEmpty()) {
			return html;
		}
		StringBuilder result = new StringBuilder(html.length() + spans.size() * 48);
		int from = 0;
		int open;
		while ((open = html.indexOf(OPEN, from)) >= 0) {
			int close = html.indexOf(CLOSE, open);
			int index = close < 0 ? -1 : parseIndex(html, open + 1, close);
			if (index < 0 || index >= spans.size()) {
				result.append(html, from, open + 1);
				from = open + 1;
				continue;
			}
			String source = spans.get(index);
			boolean display = source.startsWith("$$") || source.startsWith("\\[");
			int delimiter = source.startsWith("$") && !source.startsWith("$$") ? 1 : 2;
			result.append(html, from, open).append(Markup.math(source, delimiter, display));
			from = close + 1;
		}
		return result.append(html, from, html.length()).toString();
	}

	private static int parseIndex(String html, int from, int to) {
		if (to <= from || to - from > 6) {
			return -1;
		}
		int value = 0;
		for (int i = from; i < to; i++) {
			char c = html.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private void scan() {
		int i = 0;
		int length = markdown.length();
		boolean lineStart = true;
		while (i < length) {
			if (lineStart) {
				int fenceEnd = fencedBlockEnd(i);
				if (fenceEnd > i) {
					out.append(markdown, i, fenceEnd);
					i = fenceEnd;
					continue;
				}
			}
			char c = markdown.charAt(i);
			int end = switch (c) {
				case '`' -> codeSpanEnd(i);
				case '\\' -> backslash(i);
				case '$' -> dollar(i);
				default -> -1;
			};
			if (end > i) {
				lineStart = markdown.charAt(end - 1) == '\n';
				i = end;
			}
			else {
				out.append(c);
				lineStart = c == '\n';
				i++;
			}
		}
	}

	/**
	 * A fenced code block starting at this line: the end of its closing line (or of the
	 * text).
	 */
	private int fencedBlockEnd(int lineStart) {
		int i = lineStart;
		while (i < markdown.length() && i - lineStart < 4 && markdown.charAt(i) == ' ') {
			i++;
		}
		if (i >= markdown.length() || (markdown.charAt(i) != '`' && markdown.charAt(i) != '~')) {
			return -1;
		}
		char fence = markdown.charAt(i);
		int run = run(i, fence);
		if (run < 3) {
			return -1;
		}
		int line = markdown.indexOf('\n', i);
		while (line >= 0) {
			int next = line + 1;
			int j = next;
			while (j < markdown.length() && markdown.charAt(j) == ' ') {
				j++;
			}
			int closing = run(j, fence);
			int lineEnd = markdown.indexOf('\n', j);
			int end = lineEnd < 0 ? markdown.length() : lineEnd;
			if (closing >= run && markdown.substring(j + closing, end).isBlank()) {
				return lineEnd < 0 ? markdown.length() : lineEnd + 1;
			}
			line = lineEnd;
		}
		return markdown.length(); // unclosed: code to the end
	}

	/**
	 * A backtick code span (copied as is), or just the run of backticks when it never
	 * closes.
	 */
	private int codeSpanEnd(int start) {
		int run = run(start, '`');
		int from = start + run;
		while (true) {
			int next = markdown.indexOf('`', from);
			if (next < 0) {
				out.append(markdown, start, start + run);
				return start + run;
			}
			int closing = run(next, '`');
			if (closing == run) {
				out.append(markdown, start, next + closing);
				return next + closing;
			}
			from = next + closing;
		}
	}

	private int backslash(int start) {
		if (start + 1 >= markdown.length()) {
			return -1;
		}
		char next = markdown.charAt(start + 1);
		if (next == '(' || next == '[') {
			int close = markdown.indexOf(next == '(' ? "\\)" : "\\]", start + 2);
			if (close > start + 2
					&& (next == '[' || markdown.indexOf('\n', start) < 0 || markdown.indexOf('\n', start) > close)) {
				return protect(start, close + 2);
			}
		}
		// an escaped character (\$, \\, \`) is copied as it is and starts nothing
		out.append(markdown, start, start + 2);
		return start + 2;
	}

	private int dollar(int start) {
		if (markdown.startsWith("$$", start)) {
			int close = markdown.indexOf("$$", start + 2);
			if (close > start + 2 && !markdown.substring(start + 2, close).isBlank()
					&& !markdown.substring(start + 2, close).contains("\n\n")) {
				return protect(start, close + 2);
			}
			out.append("$$");
			return start + 2;
		}
		int first = start + 1;
		if (first >= markdown.length() || Character.isWhitespace(markdown.charAt(first))) {
			return -1;
		}
		int close = first;
		while (true) {
			close = markdown.indexOf('$', close);
			if (close < 0) {
				return -1;
			}
			if (markdown.charAt(close - 1) != '\\') {
				break;
			}
			close++;
		}
		int newline = markdown.indexOf('\n', first);
		boolean sameLine = newline < 0 || newline > close;
		boolean closes = close > first && !Character.isWhitespace(markdown.charAt(close - 1))
				&& (close + 1 >= markdown.length() || !Character.isDigit(markdown.charAt(close + 1)));
		return sameLine && closes ? protect(start, close + 1) : -1;
	}

	private int protect(int start, int end) {
		out.append(OPEN).append(spans.size()).append(CLOSE);
		spans.add(markdown.substring(start, end));
		return end;
	}

	private int run(int start, char c) {
		int i = start;
		while (i < markdown.length() && markdown.charAt(i) == c) {
			i++;
		}
		return i - start;
	}

}
