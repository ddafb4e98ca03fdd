package dev.streamchat.streaming;

import java.time.Duration;
import java.util.List;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.testing.StreamingTestSupport;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures before the first token: retried visibly, as often as configured, honouring the
 * server's hint.
 */
class RetryTest extends StreamingTestSupport {

	@Autowired
	StreamingProperties properties;

	List<String> retryLabels() {
		return events.stream()
			.filter(e -> e instanceof MessageEvent.PhaseChanged p && p.phase() == MessageEvent.Phase.RETRYING)
			.map(e -> ((MessageEvent.PhaseChanged) e).detail())
			.toList();
	}

	@Test
	void anOverloadedModelIsRetriedVisiblyUntilItAnswers() {
		fake.when("busy", Reply.httpError(503, "UNAVAILABLE", "overloaded"))
			.when("busy", Reply.httpError(503, "UNAVAILABLE", "overloaded"))
			.when("busy", Reply.chunks("Third ", "time lucky."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "busy model").id());

		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo("Third time lucky.");
		assertThat(fake.requests()).hasSize(3);
		assertThat(retryLabels()).hasSize(2);
		assertThat(retryLabels().get(0)).startsWith("model error 503: retrying (2/4) in ");
		assertThat(retryLabels().get(1)).startsWith("model error 503: retrying (3/4) in ");
	}

	@Test
	void exactlyTheConfiguredNumberOfAttemptsReachTheModelBeforeItFails() {
		int attempts = properties.retry().maxAttempts();
		for (int i = 0; i < attempts + 2; i++) {
			fake.when("down", Reply.httpError(500, "INTERNAL", "internal error"));
		}

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "down for good").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.error()).contains("(500").endsWith("(gave up after " + attempts + " attempts)");
		assertThat(fake.requests()).hasSize(attempts);
		assertThat(retryLabels()).hasSize(attempts - 1);
	}

	@Test
	void theServersRetryDelayIsHonoured() {
		fake.when("hint", Reply.rateLimited("1.5s", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"))
			.when("hint", Reply.chunks("Patience pays."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "hint me").id());

		assertThat(done.text()).isEqualTo("Patience pays.");
		List<FakeGemini.RecordedRequest> requests = fake.requests();
		assertThat(requests).hasSize(2);
		// the backoff alone would have waited about 100 ms
		assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(1400));
		assertThat(retryLabels()).containsExactly("rate limited: retrying (2/4) in 2 s");
	}

	@Test
	void aSpentDailyQuotaIsNotRetriedAndSaysSo() {
		fake.when("quota", Reply.rateLimited("20s", "GenerateRequestsPerDayPerProjectPerModel-FreeTier"));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "quota gone").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.error()).startsWith("The daily quota of this API key is used up");
		assertThat(fake.requests()).hasSize(1);
		assertThat(retryLabels()).isEmpty();
	}

	@Test
	void stopCancelsTheWaitBeforeARetry() {
		fake.when("wait", Reply.httpError(503, "UNAVAILABLE", "overloaded").header("Retry-After", "30"));
		ChatMessage reply = streaming.send(alice, pane.id(), "wait for it");
		await().atMost(Duration.ofSeconds(5)).until(() -> !retryLabels().isEmpty());
		assertThat(retryLabels().getFirst()).endsWith("in 30 s");

		streaming.stop(alice, reply.id());

		ChatMessage done = awaitEnd(reply.id());
		assertThat(done.status()).isEqualTo(MessageStatus.STOPPED);
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void aFailureAfterTextHasArrivedIsNeverRetried() {
		fake.when("partial", Reply.chunks("Some text ").every(Duration.ofMillis(5)).then(FakeGemini.Ending.DISCONNECT));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "partial then drop").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.text()).isEqualTo("Some text ");
		assertThat(fake.requests()).hasSize(1);
	}

}
