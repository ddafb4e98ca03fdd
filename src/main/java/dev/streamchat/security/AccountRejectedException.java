package dev.streamchat.security;

/** An account that could not be created, with the reason in words for the user. */
public class AccountRejectedException extends RuntimeException {

	public AccountRejectedException(String userMessage) {
		super(userMessage);
	}

}
