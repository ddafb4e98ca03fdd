package dev.streamchat.chat;

/**
 * Where an assistant reply is in its life; user messages are always {@link #COMPLETE}.
 */
public enum MessageStatus {

	STREAMING, COMPLETE, FAILED, STOPPED, INTERRUPTED;

	public boolean isFinal() {
		return this != STREAMING;
	}

	/**
	 * Whether Retry is offered: the answer ended without being complete (the one rule,
	 * for server and UI).
	 */
	public boolean isRetryable() {
		return this == FAILED || this == INTERRUPTED || this == STOPPED;
	}

}
