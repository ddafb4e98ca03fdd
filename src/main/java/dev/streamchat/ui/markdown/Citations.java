package dev.streamchat.ui.markdown;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.streamchat.chat.Grounding;
import org.jspecify.annotations.Nullable;

/**
 * Citation markers in an answer and the list of its sources. Markers go into the markdown
 * as private-use characters ({@code U+E000 n U+E001}, which model text cannot contain:
 * they are dropped from it as it arrives), pass through the markdown renderer as text,
 * and become numbered links afterwards ({@link #linkMarkers}), so that they never disturb
 * the markdown around them. A marker links to its source in the list under the answer
 * (frontend/citations.js moves the focus there); the list links each source, opening in a
 * new tab without a referrer.
 */
public final class Citations {

	private static final char OPEN = '\uE000';

	private static final char CLOSE = '\uE001';

	private static final Pattern MARKER = Pattern.compile(OPEN + "(\\d{1,4})" + CLOSE);

	private Citations() {
	}

	/**
	 * {@code text}, a piece of the answer that starts at answer offset {@code offset},
	 * with the markers of the citations that end inside it (after its first character, up
	 * to its end).
	 */
	public static String mark(String text, int offset, @Nullable Grounding grounding) {
		if (grounding == null || grounding.citations().isEmpty()) {
			return text;
		}
		StringBuilder out = new StringBuilder(text.length() + 16);
		int from = 0;
		for (Grounding.Citation citation : grounding.citations()) {
			int at = citation.end() - offset;
			if (at <= 0 || at > text.length() || at < from) {
				continue;
			}
			out.append(text, from, at);
			for (int source : citation.sources()) {
				out.append(OPEN).append(source).append(CLOSE);
			}
			from = at;
		}
		return out.append(text, from, text.length()).toString();
	}

	/** Rendered HTML with its markers turned into links to the numbered sources. */
	static String linkMarkers(String html) {
		if (html.indexOf(OPEN) < 0) {
			return html;
		}
		Matcher marker = MARKER.matcher(html);
		return marker.replaceAll(m -> "<sup class=\"cite\"><a href=\"#source-" + m.group(1) + "\" data-cite=\""
				+ m.group(1) + "\" aria-label=\"source " + m.group(1) + "\">" + m.group(1) + "</a></sup>");
	}

	/**
	 * The list under a grounded answer: a plain notice if there is one, the numbered
	 * sources (title, domain, link in a new tab, http and https only), and Google's
	 * search entry point as Google requires it: its own markup unchanged, in a sandboxed
	 * frame that runs no script and opens its links in a new tab. Empty when there is
	 * nothing to show.
	 */
	public static String sourcesHtml(@Nullable Grounding grounding) {
		if (grounding == null) {
			return "";
		}
		StringBuilder html = new StringBuilder();
		if (grounding.notice() != null && !grounding.notice().isBlank()) {
			html.append(Markup.element("p", "grounding-notice", grounding.notice()));
		}
		List<Grounding.Source> sources = grounding.sources();
		if (!sources.isEmpty()) {
			html.append("<div class=\"sources-head\">Sources</div><ol class=\"source-list\">");
			for (int i = 0; i < sources.size(); i++) {
				html.append(sourceItem(i + 1, sources.get(i)));
			}
			html.append("</ol>");
		}
		if (grounding.searchEntryPoint() != null && !grounding.searchEntryPoint().isBlank()) {
			html.append("<iframe class=\"search-entry-point\" title=\"Google Search suggestions\"")
				.append(" sandbox=\"allow-popups allow-popups-to-escape-sandbox\" referrerpolicy=\"no-referrer\"")
				.append(" srcdoc=\"")
				.append(Markup.escape("<base target=\"_blank\">" + grounding.searchEntryPoint()))
				.append("\"></iframe>");
		}
		return html.isEmpty() ? "" : html.toString();
	}

	private static String sourceItem(int number, Grounding.Source source) {
		String domain = domain(source);
		String title = source.title() == null || source.title().isBlank() ? domain : source.title();
		StringBuilder item = new StringBuilder("<li class=\"source\" data-source=\"").append(number).append("\">");
		String uri = source.uri();
		if (uri != null && isWebLink(uri)) {
			item.append("<a href=\"")
				.append(Markup.escape(uri))
				.append("\" target=\"_blank\" rel=\"noopener noreferrer\">")
				.append(Markup.escape(title == null ? uri : title))
				.append("</a>");
		}
		else {
			item.append(Markup.element("span", "source-title", title == null ? "source " + number : title));
		}
		if (domain != null && !domain.equals(title)) {
			item.append(' ').append(Markup.element("span", "source-domain", domain));
		}
		return item.append("</li>").toString();
	}

	/** The domain the model named, else the link's host. */
	static @Nullable String domain(Grounding.Source source) {
		String named = source.domain();
		if (named != null && !named.isBlank()) {
			return named;
		}
		String uri = source.uri();
		if (uri == null || !isWebLink(uri)) {
			return null;
		}
		try {
			String host = URI.create(uri).getHost();
			return host == null ? null : host.toLowerCase(Locale.ROOT);
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}

	private static boolean isWebLink(@Nullable String uri) {
		if (uri == null) {
			return false;
		}
		String lower = uri.strip().toLowerCase(Locale.ROOT);
		return lower.startsWith("https://") || lower.startsWith("http://");
	}

}
