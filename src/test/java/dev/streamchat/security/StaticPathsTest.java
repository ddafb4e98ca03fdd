package dev.streamchat.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.streamchat.testing.AppTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a visitor who has not signed in can fetch of the client: the stylesheet the sign-in page
 * needs, and nothing else of the app's scripts or the browser libraries.
 */
@AppTest
class StaticPathsTest {

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSignInPageGetsTheAppStylesheet() throws Exception {
        HttpResponse<String> css = get("/frontend/styles/chat.css");

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("css"));
    }

    @Test
    void scriptsAndLibrariesNeedASignedInUser() throws Exception {
        for (String path : new String[] {"/frontend/follow.js", "/webjars/katex/dist/katex.min.js",
                "/webjars/highlightjs/highlight.min.js"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isNotEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain("function");
        }
    }
}
