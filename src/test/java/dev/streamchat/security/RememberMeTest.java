package dev.streamchat.security;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.streamchat.security.WebSecurityTest.csrfToken;
import static dev.streamchat.security.WebSecurityTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remember-me: a browser whose session is gone (its node died or restarted, and the load
 * balancer sent it to another) is signed in again from its cookie, whose token is in the
 * shared database. A request carrying only the cookie is exactly what another node sees.
 */
@AppTest
class RememberMeTest {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aSignInIsRememberedInTheDatabaseAndWorksWithoutItsSession() throws Exception {
		String cookie = signInAndGetRememberMeCookie();

		HttpResponse<String> elsewhere = getWithCookie(cookie);

		assertThat(elsewhere.statusCode()).as("signed in again: the chat, not the sign-in page").isEqualTo(200);
		assertThat(jdbc.sql("select count(*) from remember_me_token where username = :u")
			.param("u", TestUsers.ALICE)
			.query(Long.class)
			.single()).isPositive();
		assertThat(getWithCookie("bm90LWEtc2VyaWVzOm5vdC1hLXRva2Vu").statusCode())
			.as("a made-up cookie signs nobody in")
			.isEqualTo(302);
	}

	@Test
	void tabsReconnectingAtOnceWithTheSameCookieAllGetInAndNobodyIsSignedOut() throws Exception {
		String cookie = signInAndGetRememberMeCookie();

		// the first tab renews the token; the second left with the same (now previous)
		// cookie
		HttpResponse<String> firstTab = getWithCookie(cookie);
		HttpResponse<String> secondTab = getWithCookie(cookie);

		assertThat(firstTab.statusCode()).isEqualTo(200);
		assertThat(secondTab.statusCode()).as("not taken for a stolen cookie").isEqualTo(200);
		String renewed = rememberMe(secondTab).orElseThrow();
		assertThat(getWithCookie(renewed).statusCode()).as("the browser's renewed cookie still works").isEqualTo(200);
	}

	@Test
	void signingOutForgetsTheBrowserOnEveryNode() throws Exception {
		accounts.create("leaving-user", "leaving-user-password");
		CookieManager cookies = new CookieManager();
		HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
		String cookie = signIn(browser, cookies, "leaving-user", "leaving-user-password");
		String chat = browser
			.send(HttpRequest.newBuilder(URI.create(app() + "/")).build(), HttpResponse.BodyHandlers.ofString())
			.body();

		browser.send(HttpRequest.newBuilder(URI.create(app() + "/logout"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("_csrf=" + enc(csrfToken(chat))))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(jdbc.sql("select count(*) from remember_me_token where username = 'leaving-user'")
			.query(Long.class)
			.single()).isZero();
		assertThat(getWithCookie(cookie).statusCode()).as("the old cookie signs nobody in").isEqualTo(302);
	}

	@Autowired
	UserAccounts accounts;

	private String signInAndGetRememberMeCookie() throws Exception {
		CookieManager cookies = new CookieManager();
		return signIn(HttpClient.newBuilder().cookieHandler(cookies).build(), cookies, TestUsers.ALICE,
				TestUsers.ALICE_PASSWORD);
	}

	private String signIn(HttpClient browser, CookieManager cookies, String user, String password) throws Exception {
		String page = browser
			.send(HttpRequest.newBuilder(URI.create(app() + "/login")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create(app() + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrfToken(page))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		return cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter(c -> c.getName().equals("remember-me"))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no remember-me cookie"));
	}

	/** A request of a browser that has no session here, only the remember-me cookie. */
	private HttpResponse<String> getWithCookie(String rememberMe) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(app() + "/")).header("Cookie", "remember-me=" + rememberMe).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	private static Optional<String> rememberMe(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.flatMap(h -> HttpCookie.parse(h).stream())
			.filter(c -> c.getName().equals("remember-me") && !c.getValue().isEmpty())
			.map(HttpCookie::getValue)
			.findFirst();
	}

	private String app() {
		return "http://127.0.0.1:" + port;
	}

}
