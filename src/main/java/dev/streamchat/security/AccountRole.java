package dev.streamchat.security;

/**
 * What an account may do: every account chats; an admin also sees operations data and
 * manages accounts.
 */
public enum AccountRole {

	USER, ADMIN;

	/**
	 * The Spring Security authority name ({@code ROLE_ADMIN}), as
	 * {@code hasRole("ADMIN")} expects.
	 */
	public String authority() {
		return "ROLE_" + name();
	}

}
