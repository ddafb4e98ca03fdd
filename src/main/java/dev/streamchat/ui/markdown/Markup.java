package dev.streamchat.ui.markdown;

/**
 * The HTML the server writes as markup rather than as components (a settled row's header,
 * a settled block, a math span): built here, with escaping in this one place. Every text
 * that can come from a user or a model goes through {@link #escape}; class names, labels
 * and actions come from code.
 */
public final class Markup {

	private Markup() {
	}

	/** Text and attribute values made inert: {@code & < > "} as entities. */
	public static String escape(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder out = null;
		for (int i = 0; i < text.length(); i++) {
			String entity = switch (text.charAt(i)) {
				case '&' -> "&amp;";
				case '<' -> "&lt;";
				case '>' -> "&gt;";
				case '"' -> "&quot;";
				default -> null;
			};
			if (entity != null && out == null) {
				out = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (out != null) {
				if (entity != null) {
					out.append(entity);
				}
				else {
					out.append(text.charAt(i));
				}
			}
		}
		return out == null ? text : out.toString();
	}

	/** {@code <tag class="…">text</tag>}, the text escaped. */
	public static String element(String tag, String className, String text) {
		return "<" + tag + " class=\"" + className + "\">" + escape(text) + "</" + tag + ">";
	}

	/**
	 * {@code <tag class="…">html</tag>}, for markup made by this class or the markdown
	 * renderer.
	 */
	public static String wrap(String tag, String className, String html) {
		return "<" + tag + " class=\"" + className + "\">" + html + "</" + tag + ">";
	}

	/**
	 * A header button; the pane's click listener turns its {@code data-action} into a
	 * server call.
	 */
	public static String actionButton(String label, String action, String ariaLabel, boolean disabled) {
		return "<button type=\"button\" class=\"action " + escape(action) + "\" data-action=\"" + escape(action)
				+ "\" aria-label=\"" + escape(ariaLabel) + "\"" + (disabled ? " disabled" : "") + ">" + escape(label)
				+ "</button>";
	}

	/**
	 * The top of a code block: its language (filled in by the browser when the block
	 * named none) and a Copy button, which the browser handles without a round trip.
	 */
	static String codeHead(String language) {
		return "<div class=\"code-head\">" + element("span", "code-lang", language)
				+ "<button class=\"copy-code\" type=\"button\" aria-label=\"Copy code\">Copy</button></div>";
	}

	/**
	 * A math span for the browser to typeset: the TeX source with its delimiters, as text
	 * (what a reader sees until, or without, KaTeX). {@code delimiter} is the length of
	 * each delimiter.
	 */
	static String math(String source, int delimiter, boolean display) {
		return "<span class=\"math\" data-delim=\"" + delimiter + "\"" + (display ? " data-display" : "") + ">"
				+ escape(source) + "</span>";
	}

}
