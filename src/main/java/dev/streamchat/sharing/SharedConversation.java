package dev.streamchat.sharing;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.List;

import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.ToolPart;

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
	 */
	public record Message(boolean user, String text, @Nullable String model, String status,
			@Nullable Grounding grounding, List<ToolPart> toolCalls) {

		public Message {
			toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
		}
	}
}
