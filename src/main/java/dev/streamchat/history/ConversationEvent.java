package dev.streamchat.history;

import dev.streamchat.chat.ConversationId;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;

/**
 * Something changed in one of a user's conversations that their side lists show.
 *
 * @param title the new title ({@link Change#RENAMED}), otherwise null
 */
public record ConversationEvent(UserId owner, ConversationId conversationId, Change change, @Nullable String title) {

	public enum Change {

		CREATED, OPENED, CLOSED, RENAMED, DELETED, RESTORED,
		/**
		 * The model, system instruction or temperature changed: every pane showing it
		 * reloads them.
		 */
		SETTINGS,
		/** A reply ended: the conversation moves to the top of the list. */
		ACTIVITY

	}
}
