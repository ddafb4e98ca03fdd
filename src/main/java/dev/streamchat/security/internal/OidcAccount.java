package dev.streamchat.security.internal;

import dev.streamchat.security.AccountPrincipal;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * A user signed in through the identity provider: the provider's tokens and claims, with
 * this app's account. Its name is the account's user name (not the provider's subject),
 * so everything keyed by name (remember-me tokens, throttling, the header) means the
 * account.
 */
public final class OidcAccount extends DefaultOidcUser {

	private final AccountPrincipal account;

	OidcAccount(AccountPrincipal account, OidcUser user) {
		super(account.getAuthorities(), user.getIdToken(), user.getUserInfo(), IdTokenClaimNames.SUB);
		this.account = account;
	}

	public AccountPrincipal account() {
		return account;
	}

	@Override
	public String getName() {
		return account.username();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof OidcAccount o && o.account.equals(account) && super.equals(other);
	}

	@Override
	public int hashCode() {
		return account.hashCode();
	}

	@Override
	public String toString() {
		return "OidcAccount[" + account.username() + "]";
	}

}
