package dev.streamchat.streaming;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationId;
import org.jspecify.annotations.Nullable;

/**
 * What "Send to all panes" did in one pane: the reply that started there, or why it could
 * not (the pane still streams, the user's limit of streaming answers…), in words for the
 * user.
 */
public record FanOut(ConversationId conversation, @Nullable ChatMessage reply, @Nullable String refusal) {

	public boolean sent() {
		return reply != null;
	}
}
