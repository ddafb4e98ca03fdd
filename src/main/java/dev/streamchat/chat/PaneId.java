package dev.streamchat.chat;

/** Identifies a chat pane; each pane shows exactly one conversation. */
public record PaneId(long value) {

	public static PaneId parse(String text) {
		return new PaneId(Long.parseLong(text));
	}

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
