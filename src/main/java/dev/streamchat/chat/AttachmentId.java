package dev.streamchat.chat;

/** Identifies a file attached to a prompt. */
public record AttachmentId(long value) {

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
