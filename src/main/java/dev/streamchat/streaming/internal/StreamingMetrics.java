package dev.streamchat.streaming.internal;

import java.time.Duration;
import java.util.Locale;

import dev.streamchat.model.ModelException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/** Micrometer meters of the streaming path (see /actuator/metrics/chat.*). */
@Component
public class StreamingMetrics {

	private final MeterRegistry registry;

	private final Counter retries;

	private final Counter chunks;

	private final Counter characters;

	private final Timer timeToFirstToken;

	StreamingMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.retries = Counter.builder("chat.model.retries")
			.description("Automatic retries of model requests")
			.register(registry);
		this.chunks = Counter.builder("chat.stream.chunks")
			.description("Chunks received from the model")
			.register(registry);
		this.characters = Counter.builder("chat.stream.characters")
			.description("Characters received from the model")
			.register(registry);
		this.timeToFirstToken = Timer.builder("chat.stream.time-to-first-token")
			.description("From the prompt to the first text of the reply")
			.publishPercentileHistogram()
			.register(registry);
	}

	void retried() {
		retries.increment();
	}

	void received(int chars) {
		chunks.increment();
		characters.increment(chars);
	}

	void firstToken(Duration sincePrompt) {
		timeToFirstToken.record(sincePrompt);
	}

	void failed(ModelException.Kind cause) {
		registry.counter("chat.stream.failures", "cause", cause.name().toLowerCase(Locale.ROOT)).increment();
	}

	void ended(String status) {
		registry.counter("chat.stream.ended", "status", status.toLowerCase(Locale.ROOT)).increment();
	}

}
