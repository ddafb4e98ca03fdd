package dev.streamchat.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A conversation to continue: the whole history of a pane, oldest first, ending with the
 * user's turn, plus the pane's settings and the tools the model may call.
 *
 * @param systemInstruction null or blank for none
 * @param temperature null for the model's default
 * @param webSearch the pane's "Search the web": the model may ground its answer in Google
 * Search (and read the pages a prompt links to)
 */
public record ModelRequest(String model, List<Turn> history, @Nullable String systemInstruction,
		@Nullable Double temperature, List<ToolSpec> tools, boolean webSearch) {

	public ModelRequest {
		history = List.copyOf(history);
		tools = tools == null ? List.of() : List.copyOf(tools);
	}

	public ModelRequest(String model, List<Turn> history, @Nullable String systemInstruction,
			@Nullable Double temperature, List<ToolSpec> tools) {
		this(model, history, systemInstruction, temperature, tools, false);
	}

	public ModelRequest(String model, List<Turn> history) {
		this(model, history, null, null, List.of());
	}

	/**
	 * One turn of the conversation. A model turn may carry the tool calls its answer made
	 * ({@code toolUses}, in order), so that a later prompt shows the model what its tools
	 * returned.
	 */
	public record Turn(Author author, String text, List<ToolUse> toolUses, List<Attachment> attachments) {

		public Turn {
			toolUses = toolUses == null ? List.of() : List.copyOf(toolUses);
			attachments = attachments == null ? List.of() : List.copyOf(attachments);
		}

		public Turn(Author author, String text, List<ToolUse> toolUses) {
			this(author, text, toolUses, List.of());
		}

		public Turn(Author author, String text) {
			this(author, text, List.of(), List.of());
		}
	}

	/**
	 * A file the user attached to a turn. Its bytes are read only when an adapter needs
	 * them (sent inline, or uploaded); an adapter that uploads it to the provider's file
	 * store remembers the copy, which later turns refer to until it expires.
	 */
	public interface Attachment {

		String name();

		/** The type found in the file's content. */
		String mimeType();

		long size();

		/** An image's pixel width and height; null for other files. */
		@Nullable Integer width();

		@Nullable Integer height();

		byte[] bytes();

		/** The provider's copy last uploaded, if any (it may have expired since). */
		Optional<RemoteFile> remote();

		void remember(RemoteFile uploaded);

	}

	/**
	 * A copy of an attachment in the provider's file store (Gemini's Files API keeps one
	 * 48 h).
	 */
	public record RemoteFile(String uri, @Nullable Instant expiresAt) {
	}

	/**
	 * A tool call of an earlier answer: made at text offset {@code anchor} of the answer
	 * (calls at the same offset were made together), with the response the model was
	 * given.
	 */
	public record ToolUse(int anchor, String name, Map<String, Object> args, Map<String, Object> response) {
	}

	public enum Author {

		USER, MODEL

	}

	public String lastUserText() {
		for (int i = history.size() - 1; i >= 0; i--) {
			if (history.get(i).author() == Author.USER) {
				return history.get(i).text();
			}
		}
		return "";
	}
}
