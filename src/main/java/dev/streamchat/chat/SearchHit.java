package dev.streamchat.chat;

import java.time.Instant;

/** A message that matched a search, with a short excerpt around the first match. */
public record SearchHit(ConversationId conversationId, String conversationTitle, MessageId messageId, Role role,
		String snippet, Instant createdAt) {
}
