package dev.streamchat.security.internal;

import com.vaadin.flow.spring.security.RequestUtil;
import dev.streamchat.security.AccountPrincipal;
import dev.streamchat.security.AccountRole;
import dev.streamchat.security.SecurityProperties;
import dev.streamchat.security.UserId;
import dev.streamchat.security.ui.LoginView;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;

import static com.vaadin.flow.spring.security.VaadinSecurityConfigurer.vaadin;

/**
 * Form login through Vaadin's LoginForm (unless
 * {@code chat.security.password-login=false}), OpenID Connect sign-in when
 * {@code chat.security.oidc.issuer-uri} is set, and remember-me tokens in the database;
 * views declare their own access (@PermitAll, @AnonymousAllowed).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, SignInThrottling throttling,
			SecurityProperties properties, RequestUtil vaadinRequests, OidcSignIn oidc,
			RememberMeTokens rememberMeTokens, UserRepository users) throws Exception {
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness")
			.permitAll()
			// component details, metrics and every other endpoint: operations data, for
			// admins only
			.requestMatchers("/actuator/**")
			.hasRole(AccountRole.ADMIN.name())
			// The sign-in and sign-up pages need only the app's stylesheets.
			.requestMatchers("/frontend/styles/**")
			.permitAll()
			// A share link's page and the files its owner shared with it (GET only):
			// anyone with the link; the handlers answer 404 to any id the link does not
			// hold.
			.requestMatchers(HttpMethod.GET, "/share/*", "/share/*/attachments/*")
			.permitAll()
			// What the shared page runs to render code, math and diagrams as the chat
			// does:
			// the public libraries and exactly two of the app's scripts, none of which
			// holds anything of a user's.
			.requestMatchers(HttpMethod.GET, "/frontend/render.js", "/frontend/share.js", "/webjars/highlightjs/**",
					"/webjars/katex/**", "/webjars/mermaid/**")
			.permitAll()
			// the chat's other client scripts: for signed-in users only (Vaadin's own
			// rules refuse any other path)
			.requestMatchers("/frontend/**")
			.authenticated()
			// attached files: the handler itself answers 404 to anyone but their owner
			.requestMatchers("/attachments/**")
			.authenticated());
		// set before anything is written, on every response (Vaadin's pages included)
		http.addFilterBefore((request, response, chain) -> {
			((HttpServletResponse) response).setHeader("Content-Security-Policy", properties.contentSecurityPolicy());
			chain.doFilter(request, response);
		}, HeaderWriterFilter.class);
		// Vaadin's own CSRF set-up exempts the login form's POST, which leaves login CSRF
		// open (another site signs the victim in to the attacker's account). Vaadin's
		// LoginForm sends the token from the page's _csrf meta tags, so only Vaadin's
		// internal requests (own CSRF protection) stay exempt.
		if (properties.passwordLogin()) {
			http.addFilterBefore(throttling.filter(), UsernamePasswordAuthenticationFilter.class);
			http.with(vaadin(), vaadin -> vaadin.loginView(LoginView.class).enableCsrfConfiguration(false));
		}
		else {
			// no form login at all: a posted password reaches no authentication filter
			http.with(vaadin(), vaadin -> vaadin.oauth2LoginPage("/" + LoginView.ROUTE).enableCsrfConfiguration(false));
		}
		http.csrf(csrf -> csrf.ignoringRequestMatchers(vaadinRequests::isFrameworkInternalRequest));
		if (properties.oidc().enabled()) {
			http.oauth2Login(login -> login.loginPage("/" + LoginView.ROUTE)
				.clientRegistrationRepository(oidc.registrations())
				.userInfoEndpoint(userInfo -> userInfo.oidcUserService(oidc::loadUser))
				.failureHandler(oidc.failureHandler("/" + LoginView.ROUTE + "?" + LoginView.SSO_ERROR)));
		}
		if (properties.rememberMe().enabled()) {
			RenewingRememberMeServices rememberMe = new RenewingRememberMeServices(anyAccount(users), rememberMeTokens,
					properties.rememberMe().validity(), properties.rememberMe().grace());
			// both sign-in filters (password and single sign-on) remember through it;
			// sign-out forgets
			http.rememberMe(remember -> remember.rememberMeServices(rememberMe).key(rememberMe.getKey()));
		}
		return http.build();
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	/**
	 * Password sign-in: an account made by single sign-on has no password and is not
	 * found here.
	 */
	@Bean
	UserDetailsService userDetailsService(UserRepository users) {
		return username -> users.findByUsername(username)
			.filter(row -> row.passwordHash() != null)
			.map(SecurityConfiguration::principal)
			.orElseThrow(() -> new UsernameNotFoundException("no such user"));
	}

	/**
	 * Remember-me: any account, however it first signed in (disabled ones are then
	 * refused by the checker).
	 */
	private static UserDetailsService anyAccount(UserRepository users) {
		return username -> users.findByUsername(username)
			.map(SecurityConfiguration::principal)
			.orElseThrow(() -> new UsernameNotFoundException("no such user"));
	}

	private static AccountPrincipal principal(UserRow row) {
		return new AccountPrincipal(new UserId(row.storedId()), row.username(), row.passwordHash(),
				AccountRole.valueOf(row.role()), row.enabled());
	}

}
