package dev.streamchat.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.FakeGeminiConfiguration;
import dev.streamchat.testing.StreamingTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees: health with database and model provider, and the streaming
 * meters.
 */
class OperationsTest extends StreamingTestSupport {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	void healthReportsTheDatabaseAndTheModelProviderToAnyoneButNoDetails() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"")
			.contains("\"db\"")
			.contains("\"modelProvider\"")
			.doesNotContain(FakeGeminiConfiguration.API_KEY)
			.as("details only for signed-in users")
			.doesNotContain("\"details\"");
	}

	@Test
	void aStreamedAnswerMovesTheStreamingMeters() {
		fake.when("metered", Reply.chunks("one ", "two ", "three"));
		double chunksBefore = meters.counter("chat.stream.chunks").count();
		double appendsBefore = meters.counter("chat.store.appends").count();
		long firstTokensBefore = meters.timer("chat.stream.time-to-first-token").count();

		var reply = streaming.send(alice, pane.id(), "metered answer");
		awaitEnd(reply.id());

		assertThat(meters.counter("chat.stream.chunks").count() - chunksBefore).isEqualTo(3);
		assertThat(meters.counter("chat.store.appends").count() - appendsBefore).isPositive();
		assertThat(meters.timer("chat.stream.time-to-first-token").count() - firstTokensBefore).isEqualTo(1);
		assertThat(meters.get("chat.stream.active").gauge().value()).isZero();
		assertThat(meters.counter("chat.stream.ended", "status", "complete").count()).isPositive();
	}

}
