package dev.streamchat.ui.markdown;

import java.util.List;

import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Link;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown to HTML for model output, which is untrusted: raw HTML in it is escaped (shown as
 * text, never interpreted), only http, https and mailto links stay links, and images are shown as
 * links instead of being loaded ({@link LinkPolicy}).
 */
public final class MarkdownRenderer {

    private static final List<Extension> EXTENSIONS = List.of(
            TablesExtension.create(), StrikethroughExtension.create(), AutolinkExtension.create());

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).postProcessor(new LinkPolicy()).build();
    private final HtmlRenderer renderer = HtmlRenderer.builder()
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

    public String toHtml(String markdown) {
        return renderer.render(parser.parse(markdown));
    }
}
