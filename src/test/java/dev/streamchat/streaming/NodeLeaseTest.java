package dev.streamchat.streaming;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.Usage;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.streaming.internal.Continuations;
import dev.streamchat.streaming.internal.NodeRegistry;
import dev.streamchat.testing.FakeModelTestSupport;
import dev.streamchat.testing.OnPostgresCluster;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Node leases on a real PostgreSQL (lease 3 s, heartbeat 250 ms): a dead node's replies
 * are taken up by this node and go on in the same message, a live node's are left alone.
 */
@OnPostgresCluster
class NodeLeaseTest extends FakeModelTestSupport {

	@Autowired
	NodeRegistry nodes;

	@Test
	void theRepliesOfANodeWhoseLeaseRunsOutGoOnHereInTheSameMessageWithoutTheModelsRepeatAndEveryoneIsTold() {
		Conversation pane = paneStore.create(alice, "gemini-2.5-flash");
		// other tests' views may still be subscribed in the shared context: this test
		// adds none for good
		int before = broadcaster.subscriberCount();
		List<MessageEvent> events = new CopyOnWriteArrayList<>();
		// closed at the end, so no listener outlives the test in the shared context
		try (MessageBroadcaster.Subscription subscription = broadcaster.subscribe(pane.id(), events::add)) {
			leaseRunsOut(pane, events);
		}
		assertThat(broadcaster.subscriberCount()).isEqualTo(before);
	}

	private void leaseRunsOut(Conversation pane, List<MessageEvent> events) {
		// the model, asked to go on, first repeats the end of what it had written (" an
		// answer")
		model.when("Continue it exactly", chunks(" an ans", "wer", ", and the rest.").usage(40, 5, 0));
		long start = System.nanoTime();
		nodes.heartbeat("doomed-node");
		messageStore.addUserMessage(pane.owner(), pane.id(), "a question");
		ChatMessage orphan = replyWriter.startReply(pane.id(), "gemini-2.5-flash", "doomed-node");
		replyWriter.append(orphan.id(), 0, "half an ");
		replyWriter.append(orphan.id(), 8, "answer");
		Conversation other = paneStore.create(alice, "gemini-2.5-flash");
		ChatMessage alive = replyWriter.startReply(other.id(), "gemini-2.5-flash", streaming.nodeId());

		// the doomed node never beats again
		await().atMost(Duration.ofSeconds(10))
			.until(() -> messageStore.stored(orphan.id()).orElseThrow().status().isFinal());

		Duration took = Duration.ofNanos(System.nanoTime() - start);
		ChatMessage ended = messageStore.stored(orphan.id()).orElseThrow();
		assertThat(ended.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(ended.text()).isEqualTo("half an answer, and the rest.");
		assertThat(ended.seams()).as("the seam, recorded with the message").containsExactly(14);
		assertThat(ended.usage().inputTokens()).isEqualTo(40);
		assertThat(took).as("not before the lease ran out").isGreaterThanOrEqualTo(Duration.ofMillis(2900));
		await().atMost(Duration.ofSeconds(2))
			.until(() -> events.stream()
				.anyMatch(e -> e instanceof MessageEvent.Finished f && f.status() == MessageStatus.COMPLETE
						&& f.length() == 29));
		assertThat(events).as("views drop what they showed beyond storage, then the answer goes on from there")
			.filteredOn(e -> e instanceof MessageEvent.Resumed)
			.singleElement()
			.isEqualTo(new MessageEvent.Resumed(pane.id(), orphan.id(), 14, 0));
		assertThat(events).filteredOn(e -> e instanceof MessageEvent.Delta)
			.first()
			.satisfies(e -> assertThat(((MessageEvent.Delta) e).offset()).isEqualTo(14));
		ModelRequest asked = model.requests().getLast();
		assertThat(asked.history()).extracting(ModelRequest.Turn::author)
			.containsExactly(ModelRequest.Author.USER, ModelRequest.Author.MODEL, ModelRequest.Author.USER);
		assertThat(asked.history().get(1).text()).isEqualTo("half an answer");
		assertThat(asked.lastUserText()).isEqualTo(Continuations.REQUEST);
		assertThat(messageStore.stored(alive.id()).orElseThrow().isStreaming()).as("this live node's reply").isTrue();
		replyWriter.finish(alive.id(), "", new Outcome(MessageStatus.COMPLETE, null, null, Usage.NONE));
	}

}
