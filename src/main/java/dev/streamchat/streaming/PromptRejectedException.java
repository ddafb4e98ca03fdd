package dev.streamchat.streaming;

/**
 * A prompt that was not sent, with the reason in words for the user; nothing was stored.
 */
public class PromptRejectedException extends RuntimeException {

	public PromptRejectedException(String userMessage) {
		super(userMessage);
	}

}
