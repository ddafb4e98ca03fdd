package dev.streamchat.ui;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.streamchat.attachments.AttachmentIntake;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.sharing.ShareId;
import dev.streamchat.sharing.SharedConversation;
import dev.streamchat.sharing.SharedLinks;
import dev.streamchat.ui.markdown.Citations;
import dev.streamchat.ui.markdown.MarkdownRenderer;
import dev.streamchat.ui.markdown.Markup;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The page a share link opens, for anyone who has the link, signed in or not: the
 * snapshot as a plain, read-only HTML page (no Vaadin session), rendered by the chat's
 * own markdown renderer (model text escaped, only http/https/mailto links, citation
 * markers, sources), with every other text escaped here. The chat's own render script and
 * browser libraries then highlight code, typeset math and draw diagrams in it, as in the
 * chat; the page reads the same without them. A prompt's files are linked through the
 * share link when the owner shared them, and only counted otherwise. Search engines are
 * told not to index it, and links leave it without a referrer, since the link itself is
 * the secret. A revoked or unknown link is 404.
 */
@Controller
class SharedConversationPage {

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final SharedLinks links;

	private final MarkdownRenderer markdown;

	SharedConversationPage(SharedLinks links, MarkdownRenderer markdown) {
		this.links = links;
		this.markdown = markdown;
	}

	@GetMapping("/share/{id}")
	ResponseEntity<String> show(@PathVariable String id, HttpServletRequest request) {
		return ShareId.parse(id)
			.flatMap(share -> links.open(share)
				.map(snapshot -> page(HttpStatus.OK,
						render(snapshot, request.getContextPath(),
								request.getContextPath() + "/share/" + share.value()))))
			.orElseGet(() -> page(HttpStatus.NOT_FOUND, notFound(request.getContextPath())));
	}

	private static ResponseEntity<String> page(HttpStatus status, String html) {
		return ResponseEntity.status(status)
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			// a revoked link must stop working at once
			.cacheControl(CacheControl.noStore())
			.header("X-Robots-Tag", "noindex, nofollow")
			.header("Referrer-Policy", "no-referrer")
			.body(html);
	}

	private static String head(String title, String context) {
		StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
			.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
			.append("<meta name=\"robots\" content=\"noindex, nofollow\">")
			.append("<meta name=\"referrer\" content=\"no-referrer\">")
			.append("<title>")
			.append(Markup.escape(title))
			.append("</title>");
		for (String sheet : new String[] { "/webjars/highlightjs/styles/github.min.css",
				"/webjars/katex/dist/katex.min.css", "/frontend/styles/chat.css", "/frontend/styles/theme.css",
				"/frontend/styles/sources.css", "/frontend/styles/share.css" }) {
			html.append("<link rel=\"stylesheet\" href=\"").append(context).append(sheet).append("\">");
		}
		// the chat's own rendering, in the order the chat loads it; deferred: run once
		// the page is parsed, share.js last
		for (String script : new String[] { "/webjars/highlightjs/highlight.min.js", "/webjars/katex/dist/katex.min.js",
				"/frontend/render.js", "/frontend/share.js" }) {
			html.append("<script defer src=\"").append(context).append(script).append("\"></script>");
		}
		return html.append("</head>").toString();
	}

	private static String notFound(String context) {
		return head("Not found", context) + "<body class=\"shared-page\"><main><h1>Not found</h1>"
				+ "<p>This link does not exist or was revoked by its owner.</p></main></body></html>";
	}

	/**
	 * @param linkPath the link's own path (with the context path), under which its files
	 * are served
	 */
	String render(SharedConversation snapshot, String context, String linkPath) {
		StringBuilder html = new StringBuilder(head(snapshot.title() + " · shared conversation", context))
			.append("<body class=\"shared-page\"><header class=\"shared-head\">")
			.append(Markup.element("h1", "shared-title", snapshot.title()))
			.append(Markup.element("p", "shared-when",
					"A read-only copy of a conversation, shared " + DATE.format(snapshot.sharedAt()) + "."))
			.append("</header><main class=\"message-list\" aria-label=\"Messages\">");
		if (snapshot.systemInstruction() != null) {
			html.append("<section class=\"shared-system\" aria-label=\"System instructions\">")
				.append(Markup.element("strong", "shared-system-head", "System instructions"))
				.append(Markup.element("div", "shared-system-text", snapshot.systemInstruction()))
				.append("</section>");
		}
		int index = 0;
		for (SharedConversation.Message message : snapshot.messages()) {
			html.append(message(message, index++, linkPath));
		}
		return html.append("</main></body></html>").toString();
	}

	private String message(SharedConversation.Message message, int index, String linkPath) {
		String status = message.status() == null ? "complete" : message.status().toLowerCase(Locale.ROOT);
		StringBuilder html = new StringBuilder("<article class=\"message ")
			.append(message.user() ? "user" : "assistant " + Markup.escape(status))
			.append("\">")
			.append(Markup.element("span", "author",
					message.user() ? "You" : message.model() == null ? "Model" : message.model()));
		if (message.user()) {
			return html.append(files(message, linkPath))
				.append(Markup.element("div", "content user-text", message.text()))
				.append("</article>")
				.toString();
		}
		html.append("<div class=\"content markdown\">");
		String text = message.text();
		int from = 0;
		for (ToolPart call : message.toolCalls()) {
			int anchor = Math.min(Math.max(call.anchor(), from), text.length());
			html.append(markdownHtml(text.substring(from, anchor), from, message));
			html.append(toolCard(call));
			from = anchor;
		}
		html.append(markdownHtml(text.substring(from), from, message)).append("</div>");
		String sources = Citations.sourcesHtml(message.grounding());
		if (!sources.isEmpty()) {
			html.append("<div class=\"sources\" role=\"group\" aria-label=\"Sources\">")
				.append(sources)
				.append("</div>");
		}
		// each answer's markers lead to its own list: ids unique on the page
		String prefix = "m" + index + "-source-";
		return html.append("</article>")
			.toString()
			.replace("href=\"#source-", "href=\"#" + prefix)
			.replace("<li class=\"source\" data-source=\"", "<li class=\"source\" id=\"" + prefix + "\" data-source=\"")
			.replaceAll("id=\"" + prefix + "\" data-source=\"(\\d+)\"", "id=\"" + prefix + "$1\" data-source=\"$1\"");
	}

	private String markdownHtml(String text, int offset, SharedConversation.Message message) {
		return text.isEmpty() ? ""
				: MarkdownFlow.settledHtml(Citations.mark(text, offset, message.grounding()), markdown);
	}

	/**
	 * A prompt's files as the chat shows them (chips opening the file in a new tab), each
	 * served through the link; or, not shared, only how many there were.
	 */
	private static String files(SharedConversation.Message message, String linkPath) {
		StringBuilder html = new StringBuilder();
		if (!message.files().isEmpty()) {
			html.append("<div class=\"message-attachments\">");
			for (SharedConversation.File file : message.files()) {
				String url = linkPath + "/attachments/" + file.id();
				String preview = file.mimeType().startsWith("image/")
						? "<img src=\"" + url + "\" alt=\"\" loading=\"lazy\">"
						: Markup.escape(AttachmentChip.icon(file.mimeType()));
				html.append("<a class=\"attachment-link\" href=\"")
					.append(url)
					.append("\" target=\"_blank\" rel=\"noopener noreferrer\" aria-label=\"")
					.append(Markup.escape("Open " + file.name()))
					.append("\"><div class=\"attachment-chip sent\" title=\"")
					.append(Markup.escape(file.name()))
					.append("\"><div class=\"attachment-preview\" aria-hidden=\"true\">")
					.append(preview)
					.append("</div><div class=\"attachment-text\">")
					.append(Markup.element("span", "attachment-name", file.name()))
					.append(Markup.element("span", "attachment-size", AttachmentIntake.size(file.size())))
					.append("</div></div></a>");
			}
			html.append("</div>");
		}
		if (message.filesNotShared() > 0) {
			int count = message.filesNotShared();
			html.append(Markup.element("p", "shared-files-withheld",
					count == 1 ? "1 attached file, not shared" : count + " attached files, not shared"));
		}
		return html.toString();
	}

	private static String toolCard(ToolPart call) {
		String state = call.status().name().toLowerCase(Locale.ROOT);
		return "<div class=\"tool-card " + state + "\"><div class=\"tool-head\"><span>Tool </span>"
				+ Markup.element("span", "tool-name", call.name()) + Markup.element("span", "tool-status", state)
				+ "</div>" + Markup.element("pre", "tool-args", call.argsJson())
				+ (call.resultJson() != null ? Markup.element("pre", "tool-result", call.resultJson()) : "")
				+ (call.error() != null ? Markup.element("pre", "tool-result tool-error", call.error()) : "")
				+ "</div>";
	}

}
