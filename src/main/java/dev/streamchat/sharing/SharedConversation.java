package dev.streamchat.sharing;

import java.time.Instant;
import java.util.List;

import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.ToolPart;
import org.jspecify.annotations.Nullable;

/**
 * The snapshot a share link shows: the conversation as it was when the link was made (its
 * current path: the versions it showed then), read-only. {@code systemInstruction} is
 * null unless the owner chose to share it; each message's {@code toolCalls} are empty
 * unless the owner chose them.
 */
public record SharedConversation(String title, Instant sharedAt, @Nullable String systemInstruction,
		List<Message> messages) {

	public SharedConversation {
		messages = messages == null ? List.of() : List.copyOf(messages);
	}

	/**
	 * One prompt or answer. {@code user} tells which; {@code model} and {@code status}
	 * (e.g. "STOPPED") for answers; {@code grounding} its web sources (null: none).
	 * {@code files}: a prompt's attached files, if the owner chose to share them;
	 * otherwise {@code filesNotShared} counts them (their names are not kept either).
	 */
	public record Message(boolean user, String text, @Nullable String model, String status,
			@Nullable Grounding grounding, List<ToolPart> toolCalls, List<File> files, Integer filesNotShared) {

		public Message {
			toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
			// a snapshot taken before files could be shared has neither field (boxed: a
			// missing int would fail to read, Jackson 3 refusing null for primitives)
			files = files == null ? List.of() : List.copyOf(files);
			filesNotShared = filesNotShared == null ? 0 : filesNotShared;
		}
	}

	/**
	 * A shared file as the page lists it. The bytes are not copied into the snapshot: the
	 * link serves the prompt's stored file by {@code id}, and only the files listed here
	 * ({@link SharedLinks#attachment}).
	 *
	 * @param width an image's width in pixels; null for other files
	 * @param height an image's height in pixels; null for other files
	 */
	public record File(long id, String name, String mimeType, long size, @Nullable Integer width,
			@Nullable Integer height) {
	}
}
