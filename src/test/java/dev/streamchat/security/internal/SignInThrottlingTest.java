package dev.streamchat.security.internal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.streamchat.security.SecurityProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in filter's second key: one client address trying many user names (each below
 * its own per-user count) is slowed too, answered 429 with Retry-After before any
 * password is checked, and the refusal is logged. (The shared test context turns the
 * per-address count off, since all its visitors come from 127.0.0.1; WebSecurityTest
 * covers the per-user count end to end.)
 */
@ExtendWith(OutputCaptureExtension.class)
class SignInThrottlingTest {

	private static final String GUESSER = "203.0.113.7";

	private final SignInThrottling throttling = new SignInThrottling(new Binder(new MapConfigurationPropertySource(Map
		.of("chat.security.login.free-failures-per-user", "100", "chat.security.login.free-failures-per-address", "3")))
		.bindOrCreate("chat.security", SecurityProperties.class));

	@Test
	void guessingManyUserNamesFromOneAddressIsAnswered429WithRetryAfterAndLogged(CapturedOutput log) throws Exception {
		for (String name : new String[] { "ann", "bob", "cyd" }) {
			failedSignIn(name, GUESSER);
		}

		MockHttpServletResponse throttled = signIn("dee", GUESSER);
		MockHttpServletResponse elsewhere = signIn("dee", "198.51.100.1");

		assertThat(throttled.getStatus()).isEqualTo(429);
		assertThat(Long.parseLong(throttled.getHeader("Retry-After"))).isPositive();
		assertThat(throttled.getContentAsString()).startsWith("Too many failed sign-ins. Try again in ");
		assertThat(log).contains("Sign-in as 'dee' from " + GUESSER + " refused for");
		assertThat(elsewhere.getStatus()).as("another address signs in as usual").isEqualTo(200);
	}

	private void failedSignIn(String username, String address) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
		request.setRemoteAddr(address);
		UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(username,
				"wrong");
		attempt.setDetails(new WebAuthenticationDetails(request));
		throttling.onFailure(new AuthenticationFailureBadCredentialsEvent(attempt, new BadCredentialsException("no")));
	}

	/**
	 * A posted sign-in through the filter; 200 when it passed on to the sign-in itself.
	 */
	private MockHttpServletResponse signIn(String username, String address) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
		request.setRemoteAddr(address);
		request.setParameter("username", username);
		request.setParameter("password", "whatever");
		MockHttpServletResponse response = new MockHttpServletResponse();
		AtomicBoolean passed = new AtomicBoolean();
		throttling.filter().doFilter(request, response, (req, res) -> passed.set(true));
		assertThat(passed.get()).isEqualTo(response.getStatus() == 200);
		return response;
	}

}
