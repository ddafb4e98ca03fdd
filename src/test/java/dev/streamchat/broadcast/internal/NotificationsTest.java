package dev.streamchat.broadcast.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.Usage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of event survives the trip through a NOTIFY payload, under PostgreSQL's size
 * limit.
 */
class NotificationsTest {

	final ConversationId pane = new ConversationId(3);

	final MessageId reply = new MessageId(7);

	final AtomicLong seq = new AtomicLong();

	MessageEvent roundTrip(MessageEvent event) {
		List<String> payloads = Notifications.encode("node-a", seq::incrementAndGet, event);
		assertThat(payloads).hasSize(1)
			.allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8)).hasSizeLessThan(8_000));
		return ((Notifications.Event) Notifications.decode(payloads.getFirst())).event();
	}

	@Test
	void thinkingToolCardsVersionsContinuationsRemovalsAndTheEndTravelWhole() {
		List<MessageEvent> events = List.of(new MessageEvent.ThoughtDelta(pane, reply, 12, "Considering | pipes ✓"),
				new MessageEvent.ToolUpdate(pane, reply,
						new ToolPart(1, 40, "calculate", "{\"expr\":\"1|2\"}", ToolPart.ToolStatus.DONE,
								"{\"value\":\"3\"}", null)),
				new MessageEvent.ToolUpdate(pane, reply,
						new ToolPart(2, 40, "current_time", "{}", ToolPart.ToolStatus.FAILED, null,
								"timed out | after 10 s")),
				new MessageEvent.PathChanged(pane, reply), new MessageEvent.Resumed(pane, reply, 1210, 37),
				new MessageEvent.PhaseChanged(pane, reply, MessageEvent.Phase.PAUSED, "restarting | soon"),
				new MessageEvent.Removed(pane, reply), new MessageEvent.Finished(pane, reply, MessageStatus.FAILED,
						"broke | off", "MAX_TOKENS", new Usage(1, 2, 3), Duration.ofMillis(1500), 99, 12, null));

		for (MessageEvent event : events) {
			assertThat(roundTrip(event)).isEqualTo(event);
		}
	}

	@Test
	void aSignalTravelsWithItsTopicAndAPayloadHoldingPipes() {
		String payload = Notifications.signal("node-a", 7, "conversation", "1|2|RENAMED|1Plans | 2027");

		assertThat(Notifications.decode(payload))
			.isEqualTo(new Notifications.Signal("node-a", 7, "conversation", "1|2|RENAMED|1Plans | 2027"));
	}

	@Test
	void aLongToolResultIsCutToFitAndSaysSo() {
		String huge = "x".repeat(20_000);
		MessageEvent.ToolUpdate update = new MessageEvent.ToolUpdate(pane, reply,
				new ToolPart(1, 0, "search_conversations", "{}", ToolPart.ToolStatus.DONE, huge, null));

		MessageEvent.ToolUpdate received = (MessageEvent.ToolUpdate) roundTrip(update);

		assertThat(received.part().resultJson()).startsWith("xxx").endsWith("…").hasSizeLessThan(huge.length());
		assertThat(received.part().status()).isEqualTo(ToolPart.ToolStatus.DONE);
	}

	@Test
	void webSourcesTravelAsTheReplysIdToBeReadFromStorageHoweverLongTheyAre() {
		Grounding long_ = new Grounding(List.of(), List.of(), List.of(), "<style>" + "x".repeat(20_000) + "</style>",
				null);
		List<String> payloads = Notifications.encode("node-a", () -> 9, new MessageEvent.Grounded(pane, reply, long_));

		assertThat(payloads).singleElement().satisfies(payload -> {
			assertThat(payload.length()).isLessThan(100);
			assertThat(Notifications.decode(payload)).isEqualTo(new Notifications.Grounded("node-a", 9, pane, reply));
		});
	}

}
