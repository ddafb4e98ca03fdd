package dev.streamchat.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A real OpenID Connect provider for the sign-in tests: Spring Authorization Server in a
 * small Spring context of its own (Tomcat on a free port, in this JVM), with discovery,
 * JWKS, authorization code flow, signed ID tokens and a form login of its own. Its users
 * are {@link #USERS}; the claims it puts in their ID tokens are
 * {@code preferred_username}, {@code email} and {@code groups}.
 * <p>
 * It runs at {@code localhost}: the app under test must then be reached at
 * {@code 127.0.0.1} (the provider refuses {@code localhost} in redirect URIs, as OAuth
 * 2.1 says, and cookies ignore ports, so the two must differ by host to keep their
 * sessions apart).
 */
public final class TestIdentityProvider implements AutoCloseable {

	public static final String CLIENT_ID = "streamchat";

	public static final String CLIENT_SECRET = "streamchat-client-secret";

	public static final String PASSWORD = "idp-user-password";

	/**
	 * Provider user name → the groups claim it gets; "admins" is the group the tests map
	 * to ADMIN.
	 */
	public static final Map<String, List<String>> USERS = Map.of("carol", List.of("admins", "staff"), "dave",
			// the same name as the app's own password account
			List.of("staff"), "alice", List.of("staff"), "erin", List.of("staff"));

	private final ConfigurableApplicationContext context;

	private final InMemoryRegisteredClientRepository clients;

	private TestIdentityProvider(ConfigurableApplicationContext context) {
		this.context = context;
		this.clients = context.getBean(InMemoryRegisteredClientRepository.class);
	}

	/** Starts the provider; its clients are added with {@link #register}. */
	public static TestIdentityProvider start() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Provider.class)
			// none of the app's own configuration files: this is another server
			.run("--spring.config.name=test-identity-provider", "--server.port=0", "--spring.main.banner-mode=off",
					"--logging.level.org.springframework.security=WARN");
		return new TestIdentityProvider(context);
	}

	/** Its issuer: what the app's {@code chat.security.oidc.issuer-uri} is set to. */
	public String issuer() {
		return "http://localhost:"
				+ Objects.requireNonNull(((WebServerApplicationContext) context).getWebServer()).getPort();
	}

	/**
	 * Registers the app as a client that the provider sends back to {@code redirectUri}.
	 */
	public void register(String redirectUri) {
		clients.save(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(CLIENT_ID)
			.clientSecret("{noop}" + CLIENT_SECRET)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(redirectUri)
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.scope(OidcScopes.EMAIL)
			.clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
			.build());
	}

	@Override
	public void close() {
		context.close();
	}

	/**
	 * Not a @Configuration: the app's own component scan (which sees the test classes)
	 * must not find it.
	 */
	@ImportAutoConfiguration({ TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
			SecurityFilterAutoConfiguration.class })
	static class Provider {

		@Bean
		SecurityFilterChain provider(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
				.oauth2AuthorizationServer(server -> server.oidc(Customizer.withDefaults()))
				.formLogin(Customizer.withDefaults());
			return http.build();
		}

		/**
		 * The security context of whatever strategy is JVM-wide at the moment. Vaadin
		 * replaces the static strategy when the app's context starts (after this one),
		 * and parts of the provider read the static holder while its filter chain uses
		 * the strategy it was built with: both must be the same, or a signed-in provider
		 * user looks anonymous to the authorization endpoint.
		 */
		@Bean
		SecurityContextHolderStrategy currentStrategy() {
			return new SecurityContextHolderStrategy() {
				private SecurityContextHolderStrategy current() {
					return SecurityContextHolder.getContextHolderStrategy();
				}

				@Override
				public void clearContext() {
					current().clearContext();
				}

				@Override
				public org.springframework.security.core.context.SecurityContext getContext() {
					return current().getContext();
				}

				@Override
				public Supplier<org.springframework.security.core.context.SecurityContext> getDeferredContext() {
					return current().getDeferredContext();
				}

				@Override
				public void setContext(org.springframework.security.core.context.SecurityContext context) {
					current().setContext(context);
				}

				@Override
				public void setDeferredContext(
						Supplier<org.springframework.security.core.context.SecurityContext> deferred) {
					current().setDeferredContext(deferred);
				}

				@Override
				public org.springframework.security.core.context.SecurityContext createEmptyContext() {
					return current().createEmptyContext();
				}
			};
		}

		@Bean
		InMemoryRegisteredClientRepository clients() {
			// one placeholder client: the repository must not be empty; the test
			// registers the real one
			return new InMemoryRegisteredClientRepository(RegisteredClient.withId("placeholder")
				.clientId("placeholder")
				.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.redirectUri("http://127.0.0.1/placeholder")
				.scope(OidcScopes.OPENID)
				.build());
		}

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(USERS.keySet()
				.stream()
				.map(name -> User.withUsername(name).password("{noop}" + PASSWORD).roles("USER").build())
				.toList());
		}

		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> claims() {
			return context -> {
				if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
					String name = context.getPrincipal().getName();
					context.getClaims()
						.claim("preferred_username", name)
						.claim("email", name + "@example.org")
						.claim("groups", USERS.getOrDefault(name, List.of()));
				}
			};
		}

		@Bean
		JWKSource<SecurityContext> keys() throws NoSuchAlgorithmException {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
				.privateKey((RSAPrivateKey) pair.getPrivate())
				.keyID(UUID.randomUUID().toString())
				.build();
			return new ImmutableJWKSet<>(new JWKSet(key));
		}

		/** For its user info endpoint, which takes the access token it issued. */
		@Bean
		JwtDecoder tokens(JWKSource<SecurityContext> keys) {
			return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
		}

		@Bean
		AuthorizationServerSettings settings() {
			return AuthorizationServerSettings.builder().build();
		}

	}

}
