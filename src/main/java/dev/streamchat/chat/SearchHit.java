package dev.streamchat.chat;

import java.time.Instant;

/** A message that matched a search, with a short excerpt around the first match. */
public record SearchHit(ConversationId paneId, String paneTitle, MessageId messageId, Role role, String snippet,
		Instant createdAt) {
}
