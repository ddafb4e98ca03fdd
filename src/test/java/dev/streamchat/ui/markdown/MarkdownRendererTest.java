package dev.streamchat.ui.markdown;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Math survives markdown as spans for the browser to typeset; prices, code and escapes stay text. */
class MarkdownRendererTest {

    final MarkdownRenderer markdown = new MarkdownRenderer();

    @Test
    void inlineAndDisplayMathBecomeSpansWithTheirTexUntouchedByMarkdown() {
        String html = markdown.toHtml("Euler: $e^{i\\pi} + 1 = 0$ and $a_1 * b_2 * c_3$, also \\(x_i\\).\n\n"
                + "$$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$$\n\n\\[a \\\\ b\\]");

        assertThat(html)
                .contains("<span class=\"math\" data-delim=\"1\">$e^{i\\pi} + 1 = 0$</span>")
                .contains("<span class=\"math\" data-delim=\"1\">$a_1 * b_2 * c_3$</span>")
                .contains("<span class=\"math\" data-delim=\"2\">\\(x_i\\)</span>")
                .contains("<span class=\"math\" data-delim=\"2\" data-display>$$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$$</span>")
                .contains("<span class=\"math\" data-delim=\"2\" data-display>\\[a \\\\ b\\]</span>")
                .doesNotContain("<em>");
    }

    @Test
    void pricesAreNotMath() {
        assertThat(markdown.toHtml("It costs $5 and $10, or $5,$10 in total; $ 3 $ too."))
                .doesNotContain("class=\"math\"")
                .contains("$5 and $10, or $5,$10");
    }

    @Test
    void codeAndEscapedDollarsAreNotMath() {
        String html = markdown.toHtml("Use `$x$` or \\$y\\$.\n\n```sh\necho \"$HOME $PATH\"\n```\n");

        assertThat(html).doesNotContain("class=\"math\"").contains("<code>$x$</code>").contains("$y$")
                .contains("echo &quot;$HOME $PATH&quot;");
    }

    @Test
    void mathSourceIsEscapedAsText() {
        assertThat(markdown.toHtml("$a<b>\"c\"$")).contains(">$a&lt;b&gt;&quot;c&quot;$</span>").doesNotContain("<b>");
    }

    @Test
    void aSettledCodeBlockGetsAHeadWithItsLanguageAndCopy() {
        assertThat(markdown.toBlockHtml("```java\nint x = 1;\n```\n"))
                .isEqualTo("<div class=\"code-block\"><div class=\"code-head\"><span class=\"code-lang\">java</span>"
                        + "<button class=\"copy-code\" type=\"button\" aria-label=\"Copy code\">Copy</button></div>"
                        + "<pre><code class=\"language-java\">int x = 1;\n</code></pre></div>\n");
        assertThat(markdown.toBlockHtml("```\nplain\n```\n")).contains("<span class=\"code-lang\"></span>");
        assertThat(markdown.toHtml("```java\nint x = 1;\n```\n")).doesNotContain("code-head");
    }
}
