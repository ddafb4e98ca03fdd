package dev.streamchat.security;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** What the server answers over plain HTTP, as a browser or a script would ask it. */
@AppTest
class WebSecurityTest {

	@LocalServerPort
	int port;

	@Autowired
	UserAccounts accounts;

	/**
	 * A browser of its own: cookies kept, redirects not followed (so the answer to each
	 * request shows).
	 */
	class Visitor {

		final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

		HttpResponse<String> get(String path) throws Exception {
			return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<String> postForm(String path, String form) throws Exception {
			return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		/**
		 * Signs in as the login page's form does: with the CSRF token the page carries.
		 */
		HttpResponse<String> signIn(String username, String password) throws Exception {
			String page = get("/login").body();
			return postForm("/login",
					"username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(csrfToken(page)));
		}

	}

	static String csrfToken(String page) {
		Matcher token = Pattern
			.compile("<meta (?:name=\"_csrf\" content=\"([^\"]+)\"|content=\"([^\"]+)\" name=\"_csrf\")")
			.matcher(page);
		if (token.find()) {
			return token.group(1) != null ? token.group(1) : token.group(2);
		}
		throw new AssertionError("the sign-in page carries no CSRF token");
	}

	static String enc(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

	@Test
	void signingInWorksWithThePagesToken() throws Exception {
		Visitor alice = new Visitor();

		HttpResponse<String> response = alice.signIn(TestUsers.ALICE, TestUsers.ALICE_PASSWORD);

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElseThrow()).doesNotContain("error")
			.doesNotContain("/login");
		assertThat(alice.get("/").statusCode()).as("signed in: the chat itself").isEqualTo(200);
	}

	@Test
	void aSignInPostedFromAnotherSiteWithoutTheTokenIsRefused() throws Exception {
		// login CSRF: a hostile page makes the victim's browser sign in to the attacker's
		// account
		Visitor victim = new Visitor();

		HttpResponse<String> response = victim.postForm("/login",
				"username=" + TestUsers.ALICE + "&password=" + TestUsers.ALICE_PASSWORD);

		// refused with 403, which the error page's own dispatch may turn into a redirect
		// to sign in
		assertThat(response.statusCode()).as("Location: " + response.headers().firstValue("Location"))
			.satisfiesAnyOf(status -> assertThat(status).isEqualTo(403),
					status -> assertThat(response.headers().firstValue("Location").orElse("")).contains("/login"));
		assertThat(victim.get("/").statusCode()).as("the victim is not signed in").isEqualTo(302);
	}

	@Test
	void guessingPasswordsIsSlowedPerUserNameWith429AndRetryAfter() throws Exception {
		accounts.create("guess-target", "the-real-password");
		Visitor attacker = new Visitor();
		for (int i = 0; i < 5; i++) {
			assertThat(attacker.signIn("guess-target", "wrong-" + i).headers().firstValue("Location").orElse(""))
				.contains("error");
		}

		HttpResponse<String> throttled = attacker.signIn("guess-target", "wrong-again");
		HttpResponse<String> evenTheRightOne = new Visitor().signIn("guess-target", "the-real-password");

		assertThat(throttled.statusCode()).isEqualTo(429);
		assertThat(throttled.headers().firstValue("Retry-After"))
			.hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
		assertThat(throttled.body()).contains("Too many failed sign-ins");
		assertThat(evenTheRightOne.statusCode()).as("no password is checked while throttled").isEqualTo(429);
		assertThat(new Visitor().signIn(TestUsers.ALICE, TestUsers.ALICE_PASSWORD).statusCode())
			.as("other users sign in as usual")
			.isEqualTo(302);
	}

	@Test
	void aTooLongPasswordAtSignInIsAFailedSignInNotAnError() throws Exception {
		HttpResponse<String> response = new Visitor().signIn(TestUsers.ALICE, "x".repeat(100));

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElseThrow()).contains("error");
	}

	@Test
	void everyPageCarriesAContentSecurityPolicy() throws Exception {
		Visitor alice = new Visitor();
		HttpResponse<String> login = alice.get("/login");
		alice.signIn(TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
		HttpResponse<String> chat = alice.get("/");

		for (HttpResponse<String> page : List.of(login, chat)) {
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Security-Policy"))
				.hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'", "img-src 'self' data: blob:",
						"object-src 'none'", "frame-ancestors 'self'"));
		}
	}

	@Test
	void metricsAndHealthDetailsAreForAdminsOnly() throws Exception {
		accounts.create("plain-user", "plain-user-password");
		Visitor anonymous = new Visitor();
		Visitor user = new Visitor();
		user.signIn("plain-user", "plain-user-password");
		Visitor admin = new Visitor();
		admin.signIn(TestUsers.ALICE, TestUsers.ALICE_PASSWORD);

		assertThat(anonymous.get("/actuator/metrics").statusCode()).isIn(302, 401, 403);
		assertThat(user.get("/actuator/metrics").statusCode()).isEqualTo(403);
		assertThat(user.get("/actuator/health").body()).contains("\"status\":\"UP\"").doesNotContain("\"details\"");
		assertThat(user.get("/actuator/health/db").statusCode()).isIn(302, 401, 403);
		assertThat(admin.get("/actuator/metrics").body()).contains("chat.stream.chunks");
		assertThat(admin.get("/actuator/health").body()).contains("\"details\"");
	}

}
