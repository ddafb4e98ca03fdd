package dev.streamchat.security;

import java.util.Optional;

import dev.streamchat.security.internal.OidcAccount;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The signed-in user of the current request (UI code runs with the session's security
 * context).
 */
@Component
public class CurrentUser {

	private final UserAccounts accounts;

	CurrentUser(UserAccounts accounts) {
		this.accounts = accounts;
	}

	public Optional<UserId> id() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()) {
			return Optional.empty();
		}
		if (authentication.getPrincipal() instanceof AccountPrincipal account) {
			return Optional.of(account.id());
		}
		if (authentication.getPrincipal() instanceof OidcAccount single) {
			return Optional.of(single.account().id());
		}
		return accounts.find(authentication.getName());
	}

	public UserId require() {
		return id().orElseThrow(() -> new IllegalStateException("no signed-in user"));
	}

	/**
	 * Whether the signed-in user holds the ADMIN role (the admin view and every admin
	 * action check again).
	 */
	public boolean isAdmin() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.isAuthenticated()
				&& authentication.getAuthorities()
					.stream()
					.anyMatch(a -> AccountRole.ADMIN.authority().equals(a.getAuthority()));
	}

	public Optional<String> name() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication == null ? Optional.empty() : Optional.of(authentication.getName());
	}

}
