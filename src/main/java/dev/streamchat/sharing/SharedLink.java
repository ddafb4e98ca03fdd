package dev.streamchat.sharing;

import java.time.Instant;

import dev.streamchat.chat.ConversationId;

/**
 * A share link as its owner lists it: which conversation, under which title, since when.
 */
public record SharedLink(ShareId id, ConversationId paneId, String title, Instant createdAt) {

	/** The link's path on this server (the page needs no sign-in). */
	public String path() {
		return "/share/" + id.value();
	}
}
