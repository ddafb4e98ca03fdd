package dev.streamchat.budget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.Usage;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.PromptRejectedException;
import dev.streamchat.streaming.StreamingService;
import dev.streamchat.streaming.internal.NodeRegistry;
import dev.streamchat.testing.ClusterAppTest;
import dev.streamchat.testing.FakeGemini;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Budgets with several nodes on one PostgreSQL: what another node did counts here,
 * because it is in the database, and admissions racing from several nodes (threads with
 * transactions of their own, sharing nothing but the database) let through exactly the
 * limit.
 */
@ClusterAppTest
class ClusterBudgetTest {

	@Autowired
	StreamingService streaming;

	@Autowired
	Budgets budgets;

	@Autowired
	UsageLedger ledger;

	@Autowired
	UserAccounts accounts;

	@Autowired
	ConversationStore panes;

	@Autowired
	ReplyWriter replies;

	@Autowired
	NodeRegistry nodes;

	@Autowired
	Messages messages;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	FakeGemini fake;

	UserId kim;

	Conversation pane;

	@BeforeEach
	void setUp() {
		fake.reset();
		kim = accounts.create("kim-" + UUID.randomUUID().toString().substring(0, 8), "kims-long-password");
		pane = panes.create(kim, "gemini-2.5-flash");
	}

	@Test
	void aPromptAdmittedOnAnotherNodeCountsHere() {
		budgets.setOverrides(kim, new Limits.Overrides(null, null, null, 1));
		// the other node's admission, as it leaves it: a row stamped by the database's
		// clock
		jdbc.sql("insert into prompt_log (user_id, sent_at) values (?, current_timestamp)").param(kim.value()).update();

		assertThatThrownBy(() -> streaming.send(kim, pane.id(), "hello")).isInstanceOf(PromptRejectedException.class)
			.hasMessageMatching("Too many messages: at most 1 a minute\\. Try again in \\d+ s\\.");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void aReplyStreamingOnAnotherNodeCountsAgainstTheUsersConcurrentStreams() {
		budgets.setOverrides(kim, new Limits.Overrides(null, null, 1, null));
		nodes.heartbeat("other-node");
		ChatMessage elsewhere = replies.startReply(panes.create(kim, "gemini-2.5-flash").id(), "gemini-2.5-flash",
				"other-node");

		assertThatThrownBy(() -> streaming.send(kim, pane.id(), "hello"))
			.hasMessage("You have 1 answer streaming already; wait for it to finish.");

		replies.finish(elsewhere.id(), "done", new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
		fake.when("hello", FakeGemini.Reply.chunks("Hi."));
		ChatMessage admitted = streaming.send(kim, pane.id(), "hello");
		// ended before the next test resets the JVM-wide fake
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> messages.stored(admitted.id()).orElseThrow().status().isFinal());
		assertThat(messages.stored(admitted.id()).orElseThrow().status()).isEqualTo(MessageStatus.COMPLETE);
	}

	@Test
	void tokensSpentThroughAnotherNodeCountHere() {
		budgets.setOverrides(kim, new Limits.Overrides(1_000L, null, null, null));
		ledger.record(kim, "gemini-2.5-pro", UsageKind.REPLY, new ModelChunk.TokenCounts(900, 100, 0));

		assertThatThrownBy(() -> streaming.send(kim, pane.id(), "hello"))
			.hasMessageContaining("0 of 1,000 tokens left");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void promptsAdmittedAtOnceFromSeveralNodesStopAtTheLimit() throws Exception {
		budgets.setOverrides(kim, new Limits.Overrides(null, null, null, 3));

		long admitted = race(8, i -> budgets.admitPrompt(kim));

		assertThat(admitted).isEqualTo(3);
	}

	@Test
	void repliesStartedAtOnceFromSeveralNodesStopAtTheStreamLimit() throws Exception {
		budgets.setOverrides(kim, new Limits.Overrides(null, null, 2, null));
		List<Conversation> own = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			own.add(panes.create(kim, "gemini-2.5-flash"));
		}

		// each "node" admits and stores its reply in one transaction, as StreamingService
		// does
		long started = race(6, i -> {
			budgets.admitPrompt(kim);
			replies.startReply(own.get(i).id(), "gemini-2.5-flash", ClusterAppTest.NODE_ID);
		});

		assertThat(started).isEqualTo(2);
		assertThat(jdbc
			.sql("select count(*) from message m join pane p on p.id = m.pane_id "
					+ "where p.owner_id = ? and m.status = 'STREAMING'")
			.param(kim.value())
			.query(Integer.class)
			.single()).isEqualTo(2);
		jdbc.sql("update message set status = 'COMPLETE', streaming_pane = null where pane_id in "
				+ "(select id from pane where owner_id = ?)")
			.param(kim.value())
			.update();
	}

	interface Step {

		void run(int i);

	}

	/**
	 * Runs {@code n} transactions at once, each on a thread of its own; how many
	 * committed.
	 */
	private long race(int n, Step step) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(n);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				int index = i;
				Callable<Boolean> attempt = () -> {
					go.await();
					try {
						transactions.executeWithoutResult(tx -> step.run(index));
						return true;
					}
					catch (BudgetExceededException refused) {
						return false;
					}
				};
				results.add(threads.submit(attempt));
			}
			go.countDown();
			long ok = 0;
			for (Future<Boolean> result : results) {
				ok += result.get() ? 1 : 0;
			}
			return ok;
		}
		finally {
			threads.shutdownNow();
		}
	}

}
