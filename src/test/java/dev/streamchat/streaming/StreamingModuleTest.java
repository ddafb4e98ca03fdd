package dev.streamchat.streaming;

import java.util.Map;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ToolPart.ToolStatus;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.testing.FakeChatModel;
import dev.streamchat.testing.FakeModelTestSupport;
import org.junit.jupiter.api.Test;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static dev.streamchat.testing.FakeChatModel.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming module with what it depends on and nothing above it, answering from the
 * in-memory {@link FakeChatModel}: what the model is sent past the context limit, and a
 * tool round. (The commands, failures, retries, stop and versions are
 * {@link StreamingServiceTest}'s, {@link RetryTest}'s and {@link VersionsTest}'s, on the
 * same context.)
 */
class StreamingModuleTest extends FakeModelTestSupport {

	@Test
	void pastTheContextLimitTheOldestExchangesAreLeftOutAndTheReplySaysHowMany() {
		String filler = " lorem ipsum".repeat(125); // 1 500 characters, about 375 tokens
		model.when("first", chunks("One."));
		awaitEnd(streaming.send(alice, pane.id(), "first" + filler).id());
		model.when("second", chunks("Two."));
		awaitEnd(streaming.send(alice, pane.id(), "second" + filler).id());
		model.when("third", chunks("Three."));

		ChatMessage third = streaming.send(alice, pane.id(), "third" + filler);
		ChatMessage done = awaitEnd(third.id());

		assertThat(model.requests().getLast().history()).extracting(ModelRequest.Turn::text)
			.containsExactly("second" + filler, "Two.", "third" + filler);
		assertThat(third.contextDropped()).as("told with the new reply").isEqualTo(2);
		assertThat(done.contextDropped()).as("and stored").isEqualTo(2);
		assertThat(events).filteredOn(MessageEvent.Added.class::isInstance)
			.map(e -> ((MessageEvent.Added) e).message())
			.filteredOn(m -> m.id().equals(third.id()))
			.singleElement()
			.satisfies(m -> assertThat(m.contextDropped()).isEqualTo(2));
		assertThat(messageStore.history(alice, pane.id())).as("nothing is deleted").hasSize(6);
	}

	@Test
	void aToolRoundRunsTheToolAndTheAnswerContinuesWithItsResult() {
		model.when("what time", toolCall("current_time", Map.of("time_zone", "Asia/Tokyo")),
				chunks("Morning in Tokyo."));

		ChatMessage done = awaitEnd(streaming.send(alice, pane.id(), "what time is it?").id());

		assertThat(done.text()).isEqualTo("Morning in Tokyo.");
		assertThat(done.parts()).singleElement().satisfies(part -> {
			assertThat(part.name()).isEqualTo("current_time");
			assertThat(part.status()).isEqualTo(ToolStatus.DONE);
		});
		assertThat(model.toolResults()).singleElement()
			.satisfies(results -> assertThat(results).singleElement()
				.satisfies(r -> assertThat(r.result()).containsKey("utc_offset")));
	}

}
