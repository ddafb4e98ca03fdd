package dev.streamchat.security;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param bootstrapUser an account created at start-up if it does not exist (with
 * {@code bootstrapPassword})
 * @param bootstrapPassword its password; never logged
 * @param signup who may create accounts on the sign-up page
 * @param login throttling of failed sign-ins
 * @param contentSecurityPolicy the Content-Security-Policy header sent with every
 * response
 * @param passwordLogin whether accounts may sign in (and sign up) with a password; false
 * leaves single sign-on only
 * @param oidc single sign-on through an OpenID Connect provider
 * @param rememberMe signing a browser in again from a cookie, on any node
 */
@ConfigurationProperties("chat.security")
public record SecurityProperties(@Nullable String bootstrapUser, @Nullable String bootstrapPassword,
		@DefaultValue("FIRST_USER") Signup signup, @DefaultValue Login login,
		@DefaultValue(SecurityProperties.DEFAULT_CSP) String contentSecurityPolicy,
		@DefaultValue("true") boolean passwordLogin, @DefaultValue Oidc oidc, @DefaultValue RememberMe rememberMe) {

	public SecurityProperties {
		if (!passwordLogin && !oidc.enabled()) {
			throw new IllegalArgumentException("chat.security.password-login=false needs single sign-on: "
					+ "set chat.security.oidc.issuer-uri, client-id and client-secret, or nobody can sign in");
		}
	}

	/**
	 * What Vaadin needs and no more: its scripts, styles and fonts come from this server
	 * (Flow's bootstrap uses inline scripts and eval, Lumo, KaTeX and Mermaid inline
	 * styles), the Push websocket goes back to it, and nothing loads from anywhere else:
	 * no third-party images, no frames, no plugins, forms post only here.
	 */
	public static final String DEFAULT_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
			+ "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

	/**
	 * Failed sign-ins: after {@code freeFailuresPerUser} for one user name (or
	 * {@code freeFailuresPerAddress} from one client address) the next try waits
	 * {@code baseDelay}, doubling per failure up to {@code maxDelay}; earlier tries are
	 * answered 429 with Retry-After.
	 */
	public record Login(@DefaultValue("5") int freeFailuresPerUser, @DefaultValue("20") int freeFailuresPerAddress,
			@DefaultValue("1s") Duration baseDelay, @DefaultValue("15m") Duration maxDelay) {
	}

	/**
	 * OpenID Connect sign-in; off while {@code issuerUri} is blank. Accounts are made on
	 * a user's first sign-in and found again by the provider's subject, never by name.
	 *
	 * @param issuerUri the provider's issuer (its discovery document is read on the first
	 * sign-in, not at start-up)
	 * @param clientId this app's client id at the provider
	 * @param clientSecret its secret; never logged
	 * @param displayName the provider's name on the sign-in button
	 * @param scopes the scopes asked for
	 * @param usernameClaim the claim a new account's user name is made from (then
	 * {@code email}, then the subject)
	 * @param adminClaim blank: roles are the app's (the first account is an admin). Set:
	 * at every sign-in the account is ADMIN exactly when this claim holds
	 * {@code adminValue}
	 * @param adminValue the value (or one of the values, for a list claim such as
	 * {@code groups}) that means admin; blank: the claim must be {@code true}
	 */
	public record Oidc(String issuerUri, String clientId, String clientSecret,
			@DefaultValue("single sign-on") String displayName, @DefaultValue( {
					"openid", "profile", "email" }) List<String> scopes,
			@DefaultValue("preferred_username") String usernameClaim, String adminClaim, String adminValue){

		public boolean enabled() {
			return issuerUri != null && !issuerUri.isBlank();
		}

		@Override
		public String toString() {
			return "Oidc[issuerUri=" + issuerUri + ", clientId=" + clientId + ", adminClaim=" + adminClaim + "]";
		}
	}

	/**
	 * @param enabled whether a sign-in is remembered: a token in the database, a cookie
	 * in the browser
	 * @param validity how long a remembered sign-in lasts without use (each use renews
	 * it)
	 * @param grace how long the cookie of just before a renewal still passes (tabs
	 * reconnecting at once)
	 */
	public record RememberMe(@DefaultValue("true") boolean enabled, @DefaultValue("14d") Duration validity,
			@DefaultValue("30s") Duration grace) {
	}

	public enum Signup {

		/**
		 * Only while no account exists: the first visitor of a fresh install creates it,
		 * as self-hosted chat apps do.
		 */
		FIRST_USER,
		/** Anyone may create an account. */
		OPEN

	}

	@Override
	public String toString() {
		return "SecurityProperties[bootstrapUser=" + bootstrapUser + ", signup=" + signup + ", passwordLogin="
				+ passwordLogin + ", " + oidc + "]";
	}
}
