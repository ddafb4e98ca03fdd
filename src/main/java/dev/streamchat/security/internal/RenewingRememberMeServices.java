package dev.streamchat.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.authentication.rememberme.PersistentTokenBasedRememberMeServices;
import org.springframework.security.web.authentication.rememberme.RememberMeAuthenticationException;

/**
 * Spring Security's persistent-token remember-me (the token changes at every use; a stale
 * token presented with a live series means a stolen cookie, and all the user's tokens
 * go), always on, with one allowance: when a node dies, every tab of a browser reconnects
 * to another node at once, all with the same cookie. The first renews the token; the
 * others would look like a theft and sign the user out everywhere. So the token of just
 * before a renewal passes for {@code grace} after it, and gets the current token back in
 * its cookie.
 */
class RenewingRememberMeServices extends PersistentTokenBasedRememberMeServices {

	private final RememberMeTokens tokens;

	private final Duration grace;

	private final Duration validity;

	private final Clock clock = Clock.systemUTC();

	RenewingRememberMeServices(UserDetailsService accounts, RememberMeTokens tokens, Duration validity,
			Duration grace) {
		// the key only ties this node's remember-me authentications to its own provider:
		// no secret to share
		super(UUID.randomUUID().toString(), accounts, tokens);
		this.tokens = tokens;
		this.grace = grace;
		this.validity = validity;
		setAlwaysRemember(true);
		setTokenValiditySeconds((int) Math.min(Integer.MAX_VALUE, validity.toSeconds()));
	}

	@Override
	protected UserDetails processAutoLoginCookie(String[] cookie, HttpServletRequest request,
			HttpServletResponse response) {
		if (cookie.length == 2) {
			var stored = tokens.find(cookie[0]);
			Instant now = clock.instant();
			if (stored.isPresent() && !cookie[1].equals(stored.get().token())
					&& cookie[1].equals(stored.get().previousToken()) && stored.get().rotatedAt() != null
					&& stored.get().rotatedAt().plus(grace).isAfter(now)) {
				if (stored.get().lastUsed().plus(validity).isBefore(now)) {
					throw new RememberMeAuthenticationException("Remember-me login has expired");
				}
				setCookie(new String[] { stored.get().series(), stored.get().token() }, getTokenValiditySeconds(),
						request, response);
				return getUserDetailsService().loadUserByUsername(stored.get().username());
			}
		}
		return super.processAutoLoginCookie(cookie, request, response);
	}

	@Override
	protected void onLoginSuccess(HttpServletRequest request, HttpServletResponse response, Authentication signedIn) {
		super.onLoginSuccess(request, response, signedIn);
		// tokens of browsers that never came back: no use to anyone (one delete per
		// sign-in keeps the table small)
		tokens.removeUnusedSince(clock.instant().minus(validity));
	}

}
