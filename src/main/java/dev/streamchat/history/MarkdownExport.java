package dev.streamchat.history;

/** A conversation as a Markdown file: {@code fileName} is safe to offer for download. */
public record MarkdownExport(String fileName, String markdown) {
}
