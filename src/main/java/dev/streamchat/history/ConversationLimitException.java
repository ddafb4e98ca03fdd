package dev.streamchat.history;

/**
 * A server-side cap refused the change (panes open, conversations kept, system
 * instruction size); the message says which, for the user.
 */
public class ConversationLimitException extends RuntimeException {

	public ConversationLimitException(String message) {
		super(message);
	}

}
