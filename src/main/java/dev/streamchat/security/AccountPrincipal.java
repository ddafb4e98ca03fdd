package dev.streamchat.security;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** A signed-in account, carrying its id so that ownership checks need no lookup. */
/**
 * {@code passwordHash} null: an account of single sign-on, signed in by its provider or
 * by remember-me.
 */
public record AccountPrincipal(UserId id, String username, @Nullable String passwordHash, AccountRole role,
		boolean enabled) implements UserDetails {

	/** An enabled account with the USER role. */
	public AccountPrincipal(UserId id, String username, String passwordHash) {
		this(id, username, passwordHash, AccountRole.USER, true);
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		// an admin is a user too: views that require USER stay open to admins
		return role == AccountRole.ADMIN
				? List.of(new SimpleGrantedAuthority(AccountRole.USER.authority()),
						new SimpleGrantedAuthority(role.authority()))
				: List.of(new SimpleGrantedAuthority(AccountRole.USER.authority()));
	}

	@Override
	public boolean isEnabled() {
		return enabled;
	}

	@Override
	public @Nullable String getPassword() {
		return passwordHash;
	}

	@Override
	public String getUsername() {
		return username;
	}

	@Override
	public String toString() {
		return "AccountPrincipal[" + username + "]";
	}
}
