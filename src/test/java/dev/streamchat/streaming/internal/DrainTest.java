package dev.streamchat.streaming.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.streaming.StreamingProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's life without a server: it takes prompts once started, and on shutdown stops
 * taking them, tells the load balancer and the open tabs, and leaves the cluster last.
 * (The hand-over of replies still running is MultiNodeBrowserTest's, their interruption
 * RestartTest's.)
 */
class DrainTest {

	final List<String> calls = new CopyOnWriteArrayList<>();

	final List<Object> published = new CopyOnWriteArrayList<>();

	final StreamingProperties properties = new StreamingProperties(Duration.ofMillis(50), 4000, 32000,
			Duration.ofSeconds(5),
			new StreamingProperties.Retry(1, Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(1)), 200_000,
			Duration.ofSeconds(1), Duration.ofMillis(250), 4000);

	final Drain drain = new Drain(new Generations(properties, new SimpleMeterRegistry()), new RecordingNode(),
			properties, published::add);

	@Test
	void aDrainingNodeTakesNoPromptsTellsTheBalancerAndTheTabsAndLeavesLast() {
		assertThat(drain.takesPrompts()).as("before start").isFalse();
		drain.afterSingletonsInstantiated();
		drain.start();
		assertThat(drain.takesPrompts()).isTrue();
		assertThat(drain.isDraining()).isFalse();
		MessageBroadcaster.Subscription gone = drain.onDraining(() -> calls.add("tab told (detached)"));
		gone.close();
		drain.onDraining(() -> calls.add("tab told"));

		drain.stop();

		assertThat(drain.takesPrompts()).isFalse();
		assertThat(drain.isDraining()).isTrue();
		assertThat(drain.isRunning()).isFalse();
		assertThat(published).singleElement()
			.isInstanceOfSatisfying(AvailabilityChangeEvent.class,
					event -> assertThat(event.getState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC));
		assertThat(calls).containsExactly("join", "start", "drain", "tab told", "leave");
	}

	final class RecordingNode implements NodeRole {

		@Override
		public String nodeId() {
			return "node-1";
		}

		@Override
		public void join() {
			calls.add("join");
		}

		@Override
		public void start() {
			calls.add("start");
		}

		@Override
		public void drain() {
			calls.add("drain");
		}

		@Override
		public void leave() {
			calls.add("leave");
		}

		@Override
		public boolean streamingElsewhere(List<ChatMessage> conversation) {
			return false;
		}

		@Override
		public boolean stopElsewhere(ChatMessage reply) {
			return false;
		}

	}

}
