package dev.streamchat.security;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.login.LoginForm;
import dev.streamchat.security.ui.LoginView;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestIdentityProvider;
import dev.streamchat.testing.TestUsers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on against a real OpenID Connect provider (Spring Authorization Server,
 * started here): discovery, the authorization code flow through the provider's own
 * sign-in form, the ID token's signature and claims, all over HTTP as a browser does
 * them. Password sign-in is switched off here.
 */
@AppTest
@TestPropertySource(properties = { "chat.security.oidc.client-id=" + TestIdentityProvider.CLIENT_ID,
		"chat.security.oidc.client-secret=" + TestIdentityProvider.CLIENT_SECRET,
		"chat.security.oidc.display-name=Test IdP", "chat.security.oidc.admin-claim=groups",
		"chat.security.oidc.admin-value=admins", "chat.security.password-login=false" })
class SingleSignOnTest extends SpringBrowserlessTest {

	/**
	 * Started once per test JVM and left running (a rerun of a failed test needs it too);
	 * it ends with the JVM.
	 */
	static final TestIdentityProvider provider = TestIdentityProvider.start();
	static boolean registered;

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry registry) {
		registry.add("chat.security.oidc.issuer-uri", provider::issuer);
	}

	@LocalServerPort
	int port;

	@Autowired
	UserAccounts accounts;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void registerTheApp() {
		if (!registered) {
			provider.register(app() + "/login/oauth2/code/oidc");
			registered = true;
		}
	}

	/**
	 * A browser: cookies per host (the app at 127.0.0.1, the provider at localhost),
	 * redirects followed by hand.
	 */
	class Browser {

		static final String HTML = "text/html,application/xhtml+xml,*/*;q=0.8";

		final CookieManager cookies = new CookieManager();

		final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

		HttpResponse<String> get(String url) throws Exception {
			return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", HTML).build(),
					HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<String> post(String url, String form) throws Exception {
			return http.send(HttpRequest.newBuilder(URI.create(url))
				.header("Accept", HTML)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<String> follow(HttpResponse<String> response) throws Exception {
			for (int hops = 0; response.statusCode() / 100 == 3 && hops < 10; hops++) {
				response = get(
						response.uri().resolve(response.headers().firstValue("Location").orElseThrow()).toString());
			}
			return response;
		}

		/**
		 * Clicks "Sign in with Test IdP", signs in at the provider's own form, and lands
		 * back in the app.
		 */
		HttpResponse<String> signInThroughProvider(String user) throws Exception {
			HttpResponse<String> atProvider = follow(get(app() + "/" + "oauth2/authorization/oidc"));
			assertThat(atProvider.uri().toString()).as("the provider's sign-in form")
				.startsWith(provider.issuer() + "/login");
			HttpResponse<String> posted = post(provider.issuer() + "/login", "username=" + enc(user) + "&password="
					+ enc(TestIdentityProvider.PASSWORD) + "&_csrf=" + enc(hiddenCsrf(atProvider.body())));
			return follow(posted);
		}

		/** As above, and checks that the user landed in the chat, signed in. */
		HttpResponse<String> signInThroughProviderToTheChat(String user) throws Exception {
			HttpResponse<String> landed = signInThroughProvider(user);
			assertThat(landed.uri().toString()).as("landed back in the chat").isEqualTo(app() + "/");
			assertThat(landed.statusCode()).isEqualTo(200);
			return landed;
		}

		boolean signedIn() throws Exception {
			return get(app() + "/").statusCode() == 200;
		}

		@Nullable String rememberMeCookie() {
			return cookies.getCookieStore()
				.getCookies()
				.stream()
				.filter(c -> c.getName().equals("remember-me"))
				.map(HttpCookie::getValue)
				.findFirst()
				.orElse(null);
		}

	}

	@Test
	void aProviderUserGetsAnAccountOnFirstSignInAndTheAdminClaimMakesCarolAnAdmin() throws Exception {
		Browser carol = new Browser();
		Browser dave = new Browser();

		carol.signInThroughProviderToTheChat("carol");
		dave.signInThroughProviderToTheChat("dave");

		assertThat(accounts.find("carol")).as("carol's account was made on her first sign-in").isPresent();
		assertThat(accounts.find("dave")).isPresent();
		assertThat(carol.get(app() + "/actuator/metrics").statusCode()).as("carol is in the admins group")
			.isEqualTo(200);
		assertThat(dave.get(app() + "/actuator/metrics").statusCode()).as("dave is not").isEqualTo(403);
	}

	@Test
	void signingInAgainFindsTheSameAccount() throws Exception {
		new Browser().signInThroughProviderToTheChat("dave");
		UserId first = accounts.find("dave").orElseThrow();

		Browser again = new Browser();
		again.signInThroughProviderToTheChat("dave");

		assertThat(again.signedIn()).isTrue();
		assertThat(accounts.find("dave")).contains(first);
		assertThat(jdbc.sql("select count(*) from app_user where username like 'dave%'").query(Long.class).single())
			.as("no second account")
			.isEqualTo(1);
	}

	@Test
	void aProviderUserWithTheNameOfALocalAccountGetsAnAccountOfItsOwn() throws Exception {
		UserId localAlice = accounts.find(TestUsers.ALICE).orElseThrow();

		Browser providersAlice = new Browser();
		providersAlice.signInThroughProviderToTheChat("alice");

		assertThat(providersAlice.signedIn()).isTrue();
		assertThat(accounts.find("alice-2")).as("a free name of its own").isPresent().get().isNotEqualTo(localAlice);
		assertThat(jdbc.sql("select user_id from external_identity where subject = 'alice'").query(Long.class).single())
			.isNotEqualTo(localAlice.value());
	}

	@Test
	void aDisabledAccountIsRefusedWithAMessage() throws Exception {
		new Browser().signInThroughProviderToTheChat("erin");
		jdbc.sql("update app_user set enabled = false where username = 'erin'").update();

		Browser erin = new Browser();
		HttpResponse<String> landed = erin.signInThroughProvider("erin");

		assertThat(landed.uri().toString()).contains("/login?" + LoginView.SSO_ERROR);
		assertThat(erin.signedIn()).isFalse();
		jdbc.sql("update app_user set enabled = true where username = 'erin'").update();
	}

	@Test
	void passwordSignInIsSwitchedOff() throws Exception {
		Browser browser = new Browser();
		String page = browser.get(app() + "/login").body();

		// even with the page's CSRF token and the bootstrap account's right password
		browser.post(app() + "/login", "username=" + TestUsers.ALICE + "&password=" + TestUsers.ALICE_PASSWORD
				+ "&_csrf=" + enc(WebSecurityTest.csrfToken(page)));

		assertThat(browser.signedIn()).isFalse();
		navigate(LoginView.class);
		assertThat(find(LoginForm.class).exists()).as("no visible password form").isFalse();
		assertThat(find(Anchor.class).id("sso-login").getText()).isEqualTo("Sign in with Test IdP");
	}

	@Test
	void aSingleSignOnIsRememberedWithoutItsSession() throws Exception {
		Browser carol = new Browser();
		carol.signInThroughProviderToTheChat("carol");
		String remembered = carol.rememberMeCookie();
		assertThat(remembered).as("remember-me cookie").isNotNull();

		// another node, or this one restarted: no session, only the cookie
		HttpResponse<String> elsewhere = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(app() + "/")).header("Cookie", "remember-me=" + remembered).build(),
					HttpResponse.BodyHandlers.ofString());

		assertThat(elsewhere.statusCode()).isEqualTo(200);
	}

	String app() {
		return "http://127.0.0.1:" + port;
	}

	static String hiddenCsrf(String page) {
		Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"")
			.matcher(page);
		if (!token.find()) {
			throw new AssertionError("no CSRF token in the provider's sign-in form:\n" + page);
		}
		return token.group(1) != null ? token.group(1) : token.group(2);
	}

	static String enc(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

}
