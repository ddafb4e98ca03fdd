package dev.streamchat.ui;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.streamchat.chat.Attachment;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.Versions;
import dev.streamchat.ui.markdown.Citations;
import dev.streamchat.ui.markdown.MarkdownRenderer;
import dev.streamchat.ui.markdown.Markup;
import org.jspecify.annotations.Nullable;

/**
 * Everything a settled message shows, as one piece of HTML: the markup its row's one
 * element carries. A server-side element costs about a kilobyte of heap in every open tab
 * that shows it, so a page of history is one element per message, written once and never
 * rendered again. The structure and classes are those of a live row's components
 * ({@link MessageHeader}, {@link AnswerBody}, {@link ToolCard}, {@link AttachmentChip}),
 * so styles, the browser's scripts and what assistive technology reads are the same
 * either way; what a settled row does (its buttons, the thinking section, code copy,
 * citations) works through the pane's delegated listeners in frontend/ and the browser's
 * own {@code <details>}.
 */
final class RowMarkup {

	private RowMarkup() {
	}

	/** The row's classes: its role, and an answer's outcome. */
	static List<String> classes(ChatMessage message) {
		return message.role() == Role.USER ? List.of("message", className(message.role()))
				: List.of("message", className(message.role()), className(message.status()));
	}

	/**
	 * A constant as a class name: one String for every row of every tab (a row keeps its
	 * classes for as long as it is shown).
	 */
	static String className(Enum<?> constant) {
		return constant.name().toLowerCase(Locale.ROOT).intern();
	}

	static String of(ChatMessage message, @Nullable Versions versions, MarkdownRenderer markdown) {
		List<MessageAction> actions = MessageAction.offeredTo(message.role());
		if (message.role() == Role.USER) {
			return MessageHeader.html("You", actions, versions, "") + attachments(message.attachments())
					+ "<div class=\"content user-text\"" + (message.text().isEmpty() ? " hidden" : "") + ">"
					+ Markup.escape(message.text()) + "</div>";
		}
		StringBuilder html = new StringBuilder(MessageHeader.html(Objects.requireNonNullElse(message.model(), ""),
				actions, versions, MessageStats.outcome(message.status(), message.elapsed())));
		if (message.contextDropped() > 0) {
			html.append(Markup.element("div", "context-note", MessageRow.contextNote(message.contextDropped())));
		}
		if (!message.thinking().isEmpty()) {
			html.append("<details class=\"thinking\"><summary>Thinking</summary>")
				.append(Markup.wrap("div", "thinking-body markdown",
						MarkdownFlow.settledHtml(message.thinking(), markdown)))
				.append("</details>");
		}
		html.append(Markup.wrap("div", "content markdown", answer(message, markdown)));
		String sources = Citations.sourcesHtml(message.grounding());
		if (!sources.isEmpty()) {
			html.append("<div class=\"sources\" role=\"group\" aria-label=\"Sources\">")
				.append(sources)
				.append("</div>");
		}
		String stats = MessageStats.line(message.model(), message.usage(), message.elapsed(), message.firstToken(),
				message.finishReason());
		if (!stats.isEmpty()) {
			html.append(Markup.element("div", "stats", stats));
		}
		String error = message.error();
		if (error != null && !error.isBlank()) {
			html.append(Markup.element("div", "error", error));
		}
		return html.toString();
	}

	/**
	 * The answer's text with its tool cards where the model called them and a marker at
	 * each seam where another server took it up; citation markers where it is grounded.
	 */
	private static String answer(ChatMessage message, MarkdownRenderer markdown) {
		String text = message.text();
		@Nullable Grounding sources = message.grounding();
		List<Integer> seams = message.seams();
		StringBuilder html = new StringBuilder();
		int from = 0;
		int nextSeam = 0;
		for (ToolPart part : message.parts()) {
			int anchor = Math.min(Math.max(part.anchor(), from), text.length());
			for (; nextSeam < seams.size() && seams.get(nextSeam) <= anchor; nextSeam++) {
				from = seam(html, text, from, seams.get(nextSeam), sources, markdown);
			}
			html.append(flow(text, from, anchor, sources, markdown)).append(ToolCard.html(part));
			from = anchor;
		}
		for (; nextSeam < seams.size(); nextSeam++) {
			from = seam(html, text, from, seams.get(nextSeam), sources, markdown);
		}
		return html.append(flow(text, from, text.length(), sources, markdown)).toString();
	}

	/** The text up to a seam, then its marker; returns where the text goes on. */
	private static int seam(StringBuilder html, String text, int from, int seam, @Nullable Grounding sources,
			MarkdownRenderer markdown) {
		int at = Math.min(Math.max(seam, from), text.length());
		html.append(flow(text, from, at, sources, markdown))
			.append("<div class=\"seam\" role=\"note\">continued after a server restart</div>");
		return at;
	}

	private static String flow(String text, int from, int to, @Nullable Grounding sources, MarkdownRenderer markdown) {
		return from >= to ? ""
				: MarkdownFlow.settledHtml(Citations.mark(text.substring(from, to), from, sources), markdown);
	}

	/** A prompt's files: chips that open each file in a new tab. */
	private static String attachments(List<Attachment> files) {
		if (files.isEmpty()) {
			return "";
		}
		StringBuilder html = new StringBuilder("<div class=\"message-attachments\">");
		files.forEach(file -> html.append(AttachmentChip.sentHtml(file)));
		return html.append("</div>").toString();
	}

}
