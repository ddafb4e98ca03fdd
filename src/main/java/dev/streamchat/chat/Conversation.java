package dev.streamchat.chat;

import java.time.Instant;

import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;

/**
 * A chat pane as the user arranged it: one conversation, shown side by side with others,
 * with the settings it is continued with.
 *
 * @param systemInstruction null for none
 * @param temperature null for the model's default
 * @param webSearch "Search the web": answers may be grounded in Google Search
 */
public record Conversation(ConversationId id, UserId owner, String title, String model, int position, Instant createdAt,
		@Nullable String systemInstruction, @Nullable Double temperature, boolean webSearch) {

	public Conversation(ConversationId id, UserId owner, String title, String model, int position, Instant createdAt,
			@Nullable String systemInstruction, @Nullable Double temperature) {
		this(id, owner, title, model, position, createdAt, systemInstruction, temperature, false);
	}
}
