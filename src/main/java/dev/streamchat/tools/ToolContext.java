package dev.streamchat.tools;

import dev.streamchat.chat.ConversationId;
import dev.streamchat.security.UserId;

/** Who a tool runs for: the user, and the conversation the reply belongs to. */
public record ToolContext(UserId owner, ConversationId pane) {
}
