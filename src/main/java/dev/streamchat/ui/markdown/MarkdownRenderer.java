package dev.streamchat.ui.markdown;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Link;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jspecify.annotations.Nullable;

/**
 * Markdown to HTML for model output, which is untrusted: raw HTML in it is escaped (shown
 * as text, never interpreted), only http, https and mailto links stay links, and images
 * are shown as links instead of being loaded ({@link LinkPolicy}). Math is taken out
 * before parsing and comes back as spans the browser typesets ({@link MathSpans}).
 */
public final class MarkdownRenderer {

	private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(), StrikethroughExtension.create(),
			AutolinkExtension.create());

	private final Parser parser;

	private final HtmlRenderer renderer;

	/** Markup rendered ahead of time, by its source; null: none. */
	private final @Nullable Map<String, String> ahead;

	public MarkdownRenderer() {
		this(Parser.builder().extensions(EXTENSIONS).postProcessor(new LinkPolicy()).build(), htmlRenderer(), null);
	}

	private MarkdownRenderer(Parser parser, HtmlRenderer renderer, @Nullable Map<String, String> ahead) {
		this.parser = parser;
		this.renderer = renderer;
		this.ahead = ahead;
	}

	private static HtmlRenderer htmlRenderer() {
		return HtmlRenderer.builder()
			.extensions(EXTENSIONS)
			.escapeHtml(true)
			.sanitizeUrls(true)
			.attributeProviderFactory(context -> (node, tag, attributes) -> {
				if (node instanceof Link) {
					attributes.put("target", "_blank");
					attributes.put("rel", "noopener noreferrer nofollow");
				}
			})
			.build();
	}

	/**
	 * A renderer that first takes the markup rendered ahead for a source from
	 * {@code ahead} (and removes it), rendering only what is not there: for rendering
	 * before a lock is taken.
	 */
	public MarkdownRenderer renderingAhead(Map<String, String> ahead) {
		return new MarkdownRenderer(parser, renderer, ahead);
	}

	/**
	 * A code block's opening as the renderer writes it (model text is escaped, so it can
	 * only be the renderer's).
	 */
	private static final Pattern CODE_START = Pattern.compile("<pre><code(?: class=\"language-([\\w+#.-]+)\")?[^>]*>");

	/** Markdown to HTML, as the open tail of a streaming answer shows it. */
	public String toHtml(String markdown) {
		if (ahead != null) {
			String html = ahead.remove(markdown);
			if (html != null) {
				return html;
			}
		}
		MathSpans math = MathSpans.protect(markdown);
		return Citations.linkMarkers(math.restore(renderer.render(parser.parse(math.markdown()))));
	}

	/**
	 * A settled block: as {@link #toHtml}, and each code block with a head (its language
	 * and a Copy button), which the tail does without while it still changes.
	 */
	public String toBlockHtml(String markdown) {
		String html = toHtml(markdown);
		if (!html.contains("<pre><code")) {
			return html;
		}
		Matcher start = CODE_START.matcher(html);
		StringBuilder out = new StringBuilder(html.length() + 200);
		while (start.find()) {
			String language = start.group(1) == null ? "" : start.group(1);
			start.appendReplacement(out, Matcher.quoteReplacement(
					// focusable, so a long line can be scrolled sideways from the
					// keyboard
					"<div class=\"code-block\">" + Markup.codeHead(language)
							+ start.group().replace("<pre>", "<pre tabindex=\"0\">")));
		}
		start.appendTail(out);
		return out.toString().replace("</code></pre>", "</code></pre></div>");
	}

}
