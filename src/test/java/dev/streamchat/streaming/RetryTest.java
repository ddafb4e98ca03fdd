package dev.streamchat.streaming;

import java.time.Duration;
import java.util.List;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelException.Kind;
import dev.streamchat.testing.FakeChatModel;
import dev.streamchat.testing.FakeModelTestSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures before the first token: retried visibly, as often as configured, honouring the
 * server's hint. How the Gemini adapter reads the hint and a spent daily quota from the
 * wire is {@code GeminiChatModelTest}'s.
 */
class RetryTest extends FakeModelTestSupport {

	@Autowired
	StreamingProperties properties;

	List<String> retryLabels() {
		return events.stream()
			.filter(e -> e instanceof MessageEvent.PhaseChanged p && p.phase() == MessageEvent.Phase.RETRYING)
			.map(e -> ((MessageEvent.PhaseChanged) e).detail())
			.toList();
	}

	static FakeChatModel.Round failing(Kind kind, int status, String message, @Nullable Duration retryAfter,
			boolean dailyQuota) {
		return FakeChatModel.failure(new ModelException(kind, status, message, null, retryAfter, dailyQuota));
	}

	static FakeChatModel.Round overloaded() {
		return failing(Kind.SERVER, 503, "The model service failed (503 UNAVAILABLE).", null, false);
	}

	@Test
	void anOverloadedModelIsRetriedVisiblyUntilItAnswers() {
		model.when("busy", overloaded()).when("busy", overloaded()).when("busy", chunks("Third ", "time lucky."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "busy model").id());

		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo("Third time lucky.");
		assertThat(model.requests()).hasSize(3);
		assertThat(retryLabels()).hasSize(2);
		assertThat(retryLabels().get(0)).startsWith("model error 503: retrying (2/4) in ");
		assertThat(retryLabels().get(1)).startsWith("model error 503: retrying (3/4) in ");
	}

	@Test
	void exactlyTheConfiguredNumberOfAttemptsReachTheModelBeforeItFails() {
		int attempts = properties.retry().maxAttempts();
		for (int i = 0; i < attempts + 2; i++) {
			model.when("down", failing(Kind.SERVER, 500, "The model service failed (500 INTERNAL).", null, false));
		}

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "down for good").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.error()).contains("(500").endsWith("(gave up after " + attempts + " attempts)");
		assertThat(model.requests()).hasSize(attempts);
		assertThat(retryLabels()).hasSize(attempts - 1);
	}

	@Test
	void theServersRetryDelayIsHonoured() {
		model.when("hint", failing(Kind.RATE_LIMITED, 429, "Rate limited (429).", Duration.ofMillis(1500), false))
			.when("hint", chunks("Patience pays."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "hint me").id());

		assertThat(done.text()).isEqualTo("Patience pays.");
		assertThat(model.askedAt()).hasSize(2);
		// the backoff alone would have waited about 100 ms
		assertThat(Duration.between(model.askedAt().get(0), model.askedAt().get(1)))
			.isGreaterThanOrEqualTo(Duration.ofMillis(1400));
		assertThat(retryLabels()).containsExactly("rate limited: retrying (2/4) in 2 s");
	}

	@Test
	void aSpentDailyQuotaIsNotRetriedAndSaysSo() {
		model.when("quota",
				failing(Kind.RATE_LIMITED, 429,
						"The daily quota of this API key is used up (429). Try again tomorrow or use another key.",
						Duration.ofSeconds(20), true));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "quota gone").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.error()).startsWith("The daily quota of this API key is used up");
		assertThat(model.requests()).hasSize(1);
		assertThat(retryLabels()).isEmpty();
	}

	@Test
	void stopCancelsTheWaitBeforeARetry() {
		model.when("wait", failing(Kind.SERVER, 503, "The model service failed (503 UNAVAILABLE).",
				Duration.ofSeconds(30), false));
		ChatMessage reply = streaming.send(alice, pane.id(), "wait for it");
		await().atMost(Duration.ofSeconds(5)).until(() -> !retryLabels().isEmpty());
		assertThat(retryLabels().getFirst()).endsWith("in 30 s");

		streaming.stop(alice, reply.id());

		ChatMessage done = awaitEnd(reply.id());
		assertThat(done.status()).isEqualTo(MessageStatus.STOPPED);
		assertThat(model.requests()).hasSize(1);
	}

	@Test
	void aFailureAfterTextHasArrivedIsNeverRetried() {
		model.when("partial",
				chunks("Some text ").failing(new ModelException(Kind.SERVER, 503, "The model failed.", null)));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "partial then drop").id());

		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.text()).isEqualTo("Some text ");
		assertThat(model.requests()).hasSize(1);
	}

}
