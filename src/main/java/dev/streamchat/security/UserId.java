package dev.streamchat.security;

/** Identifies a user account; every pane (and so every message) belongs to one. */
public record UserId(long value) {

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
