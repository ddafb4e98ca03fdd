package dev.streamchat.budget;

/**
 * A request refused before it was sent, with what is left and when it resets, in words
 * for the user.
 */
public class BudgetExceededException extends RuntimeException {

	public BudgetExceededException(String userMessage) {
		super(userMessage);
	}

}
