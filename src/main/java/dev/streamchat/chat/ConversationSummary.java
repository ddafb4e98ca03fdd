package dev.streamchat.chat;

import java.time.Instant;

/**
 * A conversation as the side list shows it: a pane, open or closed.
 *
 * @param open shown as a pane (the user has not closed it)
 * @param titleSet the title is the user's or was made from the first exchange; false
 * while it is the default "Chat N"
 */
public record ConversationSummary(ConversationId id, String title, boolean open, boolean titleSet, Instant createdAt) {
}
