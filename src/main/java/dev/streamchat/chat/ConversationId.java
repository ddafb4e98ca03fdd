package dev.streamchat.chat;

/** Identifies a conversation (a pane in the UI shows exactly one). */
public record ConversationId(long value) {

	public static ConversationId parse(String text) {
		return new ConversationId(Long.parseLong(text));
	}

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
