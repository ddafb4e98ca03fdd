package dev.streamchat.security.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

import dev.streamchat.security.AccountPrincipal;
import dev.streamchat.security.AccountRole;
import dev.streamchat.security.SecurityProperties;
import dev.streamchat.security.UserAccounts;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.stereotype.Component;

/**
 * OpenID Connect sign-in, set up from {@code chat.security.oidc.*} alone: the provider's
 * endpoints and keys come from its discovery document (read on the first sign-in, so the
 * app starts while the provider is away), and each signed-in provider user becomes, or
 * finds again, an account here.
 */
@Component
class OidcSignIn {

	/**
	 * The sign-in starts at /oauth2/authorization/oidc; the provider sends the user back
	 * to /login/oauth2/code/oidc.
	 */
	static final String REGISTRATION_ID = "oidc";

	private static final Logger log = LoggerFactory.getLogger(OidcSignIn.class);

	private final SecurityProperties.Oidc settings;

	private final UserAccounts accounts;

	private final OidcUserService provider = new OidcUserService();

	private volatile @Nullable ClientRegistration registration;

	OidcSignIn(SecurityProperties properties, UserAccounts accounts) {
		this.settings = properties.oidc();
		this.accounts = accounts;
	}

	/**
	 * The one provider, resolved from its issuer on first use and kept once that worked.
	 */
	ClientRegistrationRepository registrations() {
		return id -> REGISTRATION_ID.equals(id) ? registration() : null;
	}

	private @Nullable ClientRegistration registration() {
		ClientRegistration known = registration;
		if (known != null) {
			return known;
		}
		synchronized (this) {
			if (registration == null) {
				try {
					registration = ClientRegistrations.fromIssuerLocation(settings.issuerUri())
						.registrationId(REGISTRATION_ID)
						.clientId(settings.clientId())
						.clientSecret(settings.clientSecret())
						.scope(settings.scopes())
						.clientName(settings.displayName())
						.build();
					log.info("Single sign-on through {}", settings.issuerUri());
				}
				catch (RuntimeException unreachable) {
					// the sign-in fails (and is tried afresh next time); the password
					// form, if on, still works
					log.warn("Single sign-on: cannot read the provider's configuration at {}: {}", settings.issuerUri(),
							unreachable.toString());
					return null;
				}
			}
			return registration;
		}
	}

	/** The provider's user (ID token checked, user info read), as this app's account. */
	OidcUser loadUser(OidcUserRequest request) {
		OidcUser user = provider.loadUser(request);
		String issuer = user.getIdToken().getIssuer().toString();
		String name = Optional.ofNullable(user.getClaimAsString(settings.usernameClaim()))
			.filter(s -> !s.isBlank())
			.or(() -> Optional.ofNullable(user.getEmail()))
			.orElse(null);
		AccountPrincipal account;
		try {
			account = accounts.signInFromProvider(issuer, user.getSubject(), name, claimedRole(user.getClaims()));
		}
		catch (DisabledException disabled) {
			log.info("Single sign-on refused for a disabled account: {}", disabled.getMessage());
			throw new OAuth2AuthenticationException(new OAuth2Error("account_disabled"), "This account is disabled.",
					disabled);
		}
		return new OidcAccount(account, user);
	}

	/**
	 * Back to the sign-in page with a message; the reason (the provider's error, a bad
	 * token) goes to the log.
	 */
	AuthenticationFailureHandler failureHandler(String url) {
		var redirect = new SimpleUrlAuthenticationFailureHandler(url);
		return (request, response, failure) -> {
			log.info("Single sign-on failed from {}: {}", request.getRemoteAddr(), failure.getMessage());
			redirect.onAuthenticationFailure(request, response, failure);
		};
	}

	/** The role the admin claim gives, when one is configured. */
	Optional<AccountRole> claimedRole(Map<String, Object> claims) {
		String claim = settings.adminClaim();
		if (claim == null || claim.isBlank()) {
			return Optional.empty();
		}
		Object value = claims.get(claim);
		String wanted = settings.adminValue();
		boolean admin;
		if (wanted == null || wanted.isBlank()) {
			admin = Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(String.valueOf(value));
		}
		else if (value instanceof Collection<?> values) {
			admin = values.stream().anyMatch(v -> wanted.equals(String.valueOf(v)));
		}
		else {
			// a single value, or several in one string ("a b", "a,b"), as some providers
			// send roles
			admin = value != null && Arrays.asList(String.valueOf(value).split("[\\s,]+")).contains(wanted);
		}
		return Optional.of(admin ? AccountRole.ADMIN : AccountRole.USER);
	}

}
