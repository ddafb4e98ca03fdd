package dev.streamchat.security;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a visitor who has not signed in can fetch of the client: the stylesheets (the
 * sign-in page and the shared page need them), and what the shared page runs to render
 * code, math and diagrams as the chat does (render.js, share.js, highlight.js, KaTeX,
 * Mermaid); none of the chat's other scripts. A signed-in user gets them all.
 */
@AppTest
class StaticPathsTest {

	@LocalServerPort
	int port;

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void theSignInPageGetsTheAppStylesheet() throws Exception {
		HttpResponse<String> css = get("/frontend/styles/chat.css");

		assertThat(css.statusCode()).isEqualTo(200);
		assertThat(css.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).contains("css"));
	}

	@Test
	void theSharedPagesRenderingIsOpenToVisitorsAndNothingElseOfTheClient() throws Exception {
		for (String path : new String[] { "/frontend/render.js", "/frontend/share.js",
				"/webjars/highlightjs/highlight.min.js", "/webjars/highlightjs/styles/github.min.css",
				"/webjars/katex/dist/katex.min.js", "/webjars/katex/dist/katex.min.css",
				"/webjars/mermaid/dist/mermaid.min.js" }) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Security-Policy")).as(path).isPresent();
		}
		for (String path : new String[] { "/frontend/follow.js", "/frontend/actions.js", "/frontend/attachments.js",
				"/frontend/prompt-keys.js", "/frontend/citations.js", "/frontend/shortcuts.js",
				"/frontend/stall-watchdog.js", "/frontend/viewport.js" }) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as(path).isNotEqualTo(200);
			assertThat(response.body()).as(path).doesNotContain("function");
		}
	}

	@Test
	void aSignedInUserGetsTheScriptsAndTheLibraries() throws Exception {
		HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		String base = "http://localhost:" + port;
		String loginPage = client
			.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		// the sign-in form carries the page's CSRF token, as Vaadin's login form does
		// (login CSRF is closed)
		Matcher csrf = Pattern
			.compile("<meta (?:name=\"_csrf\" content=\"([^\"]+)\"|content=\"([^\"]+)\" name=\"_csrf\")")
			.matcher(loginPage);
		assertThat(csrf.find()).as("the sign-in page carries a CSRF token").isTrue();
		String token = URLEncoder.encode(csrf.group(1) != null ? csrf.group(1) : csrf.group(2), StandardCharsets.UTF_8);
		client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("username=" + TestUsers.ALICE + "&password=" + TestUsers.ALICE_PASSWORD + "&_csrf=" + token))
			.build(), HttpResponse.BodyHandlers.discarding());

		for (String path : new String[] { "/frontend/follow.js", "/frontend/render.js",
				"/webjars/katex/dist/katex.min.js", "/webjars/highlightjs/highlight.min.js",
				"/webjars/mermaid/dist/mermaid.min.js" }) {
			HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
		}
	}

}
