package dev.streamchat.streaming.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.OrphanedReplies;
import dev.streamchat.testing.FakeChatModel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node paused past its lease (a long GC, a frozen VM) is taken for dead and its reply
 * claimed by another node, which goes on at the stored length. When the paused node wakes
 * up, its next batch must be refused and its generation must stop: otherwise its late
 * text lands at the offset where the new node goes on (issue 16).
 */
class FencedAppendsTest extends GenerationTestSupport {

	@Autowired
	NodeRegistry nodes;

	@Autowired
	OrphanedReplies orphaned;

	@Test
	void aNodeWhoseReplyWasTakenOverStoresNothingMoreOfItAndStops() throws InterruptedException {
		// the paused node's model: 200 words, then (once it wakes up) 800 more, then
		// silence, which only a stop ends: the generation ends only if the fence stops it
		CountDownLatch wakesUp = new CountDownLatch(1);
		List<String> words = IntStream.range(0, 1_000).mapToObj(i -> "word" + i + " ").toList();
		model.when("a long answer, please", chunks(words).holdAfter(200, wakesUp).then(FakeChatModel.Ending.SILENCE));
		// the node generating it is this context's own, so that a multi-node context's
		// sweep never takes it for a dead node's
		String paused = streaming.nodeId();
		ChatMessage reply = storedReply("a long answer, please", paused);
		AtomicReference<Generation> generation = new AtomicReference<>();
		BatchingReplyStorage storage = new BatchingReplyStorage(replyWriter, properties,
				lost -> generation.get().stop(MessageStatus.INTERRUPTED, "taken over"));
		generation.set(generation(reply, "a long answer, please", model, storage, paused));
		Thread running = Thread.ofVirtual().start(generation.get()::run);
		await().atMost(Duration.ofSeconds(10)).until(() -> messageStore.storedText(reply.id()).length() > 50);

		// another node takes it for dead and claims it (alive itself, so nobody sweeps
		// it)
		nodes.heartbeat("node-b");
		ChatMessage taken = orphaned.claim(new OrphanedReplies.Orphan(reply.id(), alice, paused, 0), "node-b")
			.orElseThrow();
		int seam = taken.text().length();
		assertThat(replyWriter.append(reply.id(), "node-b", seam, "[continued on node b]")).isTrue();
		FakeChatModel.release(wakesUp);

		assertThat(running.join(Duration.ofSeconds(5))).as("the paused node's generation stops at its next batch")
			.isTrue();
		assertThat(messageStore.storedText(reply.id()))
			.as("nothing of the paused node after the seam; the new node's text where it goes on")
			.isEqualTo(taken.text() + "[continued on node b]");
		assertThat(messageStore.stored(reply.id()).orElseThrow()).satisfies(m -> {
			assertThat(m.isStreaming()).as("still the new node's to finish").isTrue();
			assertThat(m.seams()).containsExactly(seam);
		});
		assertThat(replyWriter.append(reply.id(), paused, seam + 21, "late")).as("refused").isFalse();
	}

	@Autowired
	PlatformTransactionManager transactions;

	/**
	 * The race the fence's row lock is for: a batch of the paused node that arrives while
	 * another node's claim is committing waits for the claim, and is then refused, so the
	 * seam the claim measured stays where the new node goes on.
	 */
	@Test
	void aBatchArrivingWhileAClaimCommitsWaitsForItAndIsRefused() throws Exception {
		String paused = streaming.nodeId();
		ChatMessage reply = storedReply("a race", paused);
		assertThat(replyWriter.append(reply.id(), paused, 0, "before ")).isTrue();
		nodes.heartbeat("node-b");
		CountDownLatch claimed = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		// threads of their own: the common pool may have a single thread on two cores,
		// which would run the late batch only after the claim
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			CompletableFuture<Optional<ChatMessage>> claim = CompletableFuture
				.supplyAsync(() -> new TransactionTemplate(transactions).execute(status -> {
					Optional<ChatMessage> taken = orphaned
						.claim(new OrphanedReplies.Orphan(reply.id(), alice, paused, 0), "node-b");
					claimed.countDown();
					try {
						commit.await();
					}
					catch (InterruptedException e) {
						Thread.currentThread().interrupt();
					}
					return taken;
				}), threads);
			assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();

			CompletableFuture<Boolean> late = CompletableFuture
				.supplyAsync(() -> replyWriter.append(reply.id(), paused, 7, "late "), threads);
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !late.isDone());
			commit.countDown();

			assertThat(claim.get(10, TimeUnit.SECONDS).orElseThrow().text()).isEqualTo("before ");
			assertThat(late.get(10, TimeUnit.SECONDS)).as("refused once the claim committed").isFalse();
			assertThat(messageStore.storedText(reply.id())).isEqualTo("before ");
		}
	}

}
