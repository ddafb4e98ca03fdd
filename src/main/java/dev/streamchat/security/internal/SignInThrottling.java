package dev.streamchat.security.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import dev.streamchat.security.SecurityProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Online password guessing: failed sign-ins are counted per user name and per client
 * address, and a sign-in posted while either must wait is answered 429 with Retry-After
 * before any password is checked (so it costs no BCrypt either). Failures and successes
 * arrive as Spring Security's authentication events; the client address is the request's
 * (set {@code server.forward-headers-strategy} behind a proxy, see deploy/).
 */
@Component
class SignInThrottling {

	private static final Logger log = LoggerFactory.getLogger(SignInThrottling.class);

	private final LoginThrottle perUser;

	private final LoginThrottle perAddress;

	SignInThrottling(SecurityProperties properties) {
		SecurityProperties.Login login = properties.login();
		Clock clock = Clock.systemUTC();
		this.perUser = new LoginThrottle(login.freeFailuresPerUser(), login.baseDelay(), login.maxDelay(), clock);
		this.perAddress = new LoginThrottle(login.freeFailuresPerAddress(), login.baseDelay(), login.maxDelay(), clock);
	}

	/**
	 * The filter in front of the form login; not a bean of its own, so the servlet
	 * container does not add it twice.
	 */
	OncePerRequestFilter filter() {
		return new OncePerRequestFilter() {
			@Override
			protected boolean shouldNotFilter(HttpServletRequest request) {
				// the request URI, not the servlet path: Vaadin's servlet maps /*, so its
				// servlet path is empty
				String path = request.getRequestURI().substring(request.getContextPath().length());
				return !("POST".equals(request.getMethod()) && "/login".equals(path));
			}

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				String username = request.getParameter("username");
				String address = request.getRemoteAddr();
				Optional<Duration> wait = perUser.waitFor(username).or(() -> perAddress.waitFor(address));
				if (wait.isEmpty()) {
					chain.doFilter(request, response);
					return;
				}
				long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
				log.warn("Sign-in as '{}' from {} refused for {} s more after repeated failures", username, address,
						seconds);
				response.setStatus(429);
				response.setHeader("Retry-After", Long.toString(seconds));
				response.setContentType("text/plain;charset=UTF-8");
				response.getWriter().write("Too many failed sign-ins. Try again in " + seconds + " s.\n");
			}
		};
	}

	@EventListener
	void onFailure(AuthenticationFailureBadCredentialsEvent event) {
		String username = event.getAuthentication().getName();
		perUser.failed(username);
		address(event.getAuthentication().getDetails()).ifPresent(perAddress::failed);
		log.info("Failed sign-in as '{}' from {}", username,
				address(event.getAuthentication().getDetails()).orElse("?"));
	}

	@EventListener
	void onSuccess(AuthenticationSuccessEvent event) {
		// only the user name's count: a valid account must not clear its address for
		// guessing others
		perUser.succeeded(event.getAuthentication().getName());
	}

	private static Optional<String> address(@Nullable Object details) {
		return details instanceof WebAuthenticationDetails web ? Optional.ofNullable(web.getRemoteAddress())
				: Optional.empty();
	}

}
