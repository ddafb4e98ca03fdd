package dev.streamchat.streaming;

import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.security.UserId;

/**
 * A Spring application event: a reply generated on this node has ended and is stored.
 * Published on the generation's thread after everything else, so listeners that do more
 * than hand it on must do so on a thread of their own. The reply's outcome is in storage.
 */
public record ReplyFinished(UserId owner, ConversationId conversationId, MessageId messageId) {
}
