package dev.streamchat.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.streamchat.chat.ChatStore;
import dev.streamchat.chat.Pane;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.StreamingService;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.FakeGeminiConfiguration;
import dev.streamchat.testing.TestUsers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What an operator sees: health with database and model provider, and the streaming meters. */
@AppTest
class OperationsTest {

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;
    @Autowired
    StreamingService streaming;
    @Autowired
    ChatStore store;
    @Autowired
    UserAccounts accounts;
    @Autowired
    FakeGemini fake;

    @Test
    void healthReportsTheDatabaseAndTheModelProviderWithoutTheKeyAndWithoutSigningIn() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"db\"").contains("\"modelProvider\"")
                .contains("gemini").doesNotContain(FakeGeminiConfiguration.API_KEY);
    }

    @Test
    void aStreamedAnswerMovesTheStreamingMeters() {
        fake.reset();
        fake.when("metered", Reply.chunks("one ", "two ", "three"));
        UserId alice = accounts.find(TestUsers.ALICE).orElseThrow();
        Pane pane = store.createPane(alice, "gemini-2.5-flash");
        double chunksBefore = meters.counter("chat.stream.chunks").count();
        double appendsBefore = meters.counter("chat.store.appends").count();
        long firstTokensBefore = meters.timer("chat.stream.time-to-first-token").count();

        var reply = streaming.send(alice, pane.id(), "metered answer");
        await().atMost(Duration.ofSeconds(10)).until(() -> store.message(reply.id()).orElseThrow().status().isFinal());

        assertThat(meters.counter("chat.stream.chunks").count() - chunksBefore).isEqualTo(3);
        assertThat(meters.counter("chat.store.appends").count() - appendsBefore).isPositive();
        assertThat(meters.timer("chat.stream.time-to-first-token").count() - firstTokensBefore).isEqualTo(1);
        assertThat(meters.get("chat.stream.active").gauge().value()).isZero();
        assertThat(meters.counter("chat.stream.ended", "status", "complete").count()).isPositive();
    }
}
