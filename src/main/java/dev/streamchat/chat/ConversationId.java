package dev.streamchat.chat;

/** Identifies a chat pane; each pane shows exactly one conversation. */
public record ConversationId(long value) {

	public static ConversationId parse(String text) {
		return new ConversationId(Long.parseLong(text));
	}

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
