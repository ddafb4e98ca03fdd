package dev.streamchat.history;

/**
 * The conversation cannot be changed so now (an answer streams in it); the message says
 * why, for the user.
 */
public class ConversationBusyException extends RuntimeException {

	public ConversationBusyException(String message) {
		super(message);
	}

}
