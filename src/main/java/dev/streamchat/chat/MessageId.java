package dev.streamchat.chat;

public record MessageId(long value) {

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
