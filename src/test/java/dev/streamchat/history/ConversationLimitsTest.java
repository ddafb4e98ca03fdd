package dev.streamchat.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.Messages;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.StreamingService;
import dev.streamchat.testing.AppTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Server-side caps on what a user keeps: panes open, conversations, system instruction
 * size. The front door is built here with small caps over the shared app's real storage
 * (the shared test context must not be capped, its tests open many panes).
 */
@AppTest
class ConversationLimitsTest {

	@Autowired
	ConversationStore panes;

	@Autowired
	Messages messages;

	@Autowired
	StreamingService streaming;

	@Autowired
	ModelCatalog catalog;

	@Autowired
	ConversationEvents events;

	@Autowired
	UserAccounts accounts;

	@Autowired
	TransactionTemplate transactions;

	Conversations conversations;

	UserId erin;

	@BeforeEach
	void setUp() {
		conversations = new Conversations(panes, messages, streaming, catalog, events,
				new HistoryProperties(false, Duration.ofSeconds(15), Duration.ofSeconds(8), 100, 2, 3), accounts,
				transactions);
		erin = accounts.create("erin-" + UUID.randomUUID().toString().substring(0, 8), "erins-long-password");
	}

	@Test
	void aUserMayHaveOnlySoManyPanesOpenAndClosingOneMakesRoom() {
		Conversation first = conversations.create(erin);
		conversations.create(erin);

		assertThatThrownBy(() -> conversations.create(erin)).isInstanceOf(ConversationLimitException.class)
			.hasMessage("2 panes are open, the most allowed: close one first.");
		assertThat(panes.openConversations(erin)).hasSize(2);

		conversations.close(erin, first.id());
		assertThat(conversations.create(erin)).isNotNull();
	}

	@Test
	void reopeningAClosedConversationCountsAsOpeningAPane() {
		Conversation closed = conversations.create(erin);
		conversations.close(erin, closed.id());
		conversations.create(erin);
		conversations.create(erin);

		assertThatThrownBy(() -> conversations.open(erin, closed.id())).isInstanceOf(ConversationLimitException.class);
		assertThat(panes.conversation(erin, closed.id()).orElseThrow().open()).isFalse();
	}

	@Test
	void aUserMayKeepOnlySoManyConversations() {
		for (int i = 0; i < 3; i++) {
			conversations.close(erin, conversations.create(erin).id());
		}

		assertThatThrownBy(() -> conversations.create(erin)).isInstanceOf(ConversationLimitException.class)
			.hasMessageContaining("3 conversations");
		assertThat(panes.conversationCount(erin)).isEqualTo(3);
	}

	@Test
	void undoingADeleteCountsTheConversationAgain() {
		Conversation deleted = conversations.create(erin);
		conversations.close(erin, deleted.id());
		conversations.close(erin, conversations.create(erin).id());
		conversations.close(erin, conversations.create(erin).id());
		conversations.delete(erin, deleted.id());
		conversations.close(erin, conversations.create(erin).id());

		assertThatThrownBy(() -> conversations.restore(erin, deleted.id()))
			.isInstanceOf(ConversationLimitException.class)
			.hasMessageContaining("3 conversations");
		assertThat(panes.conversationCount(erin)).isEqualTo(3);
	}

	@Test
	void undoingTheDeleteOfAnOpenConversationWhenAsManyPanesWereOpenedBringsItBackClosed() {
		Conversation deleted = conversations.create(erin);
		conversations.create(erin);
		conversations.delete(erin, deleted.id());
		conversations.create(erin);

		assertThat(conversations.restore(erin, deleted.id())).hasValueSatisfying(c -> assertThat(c.open()).isFalse());
		assertThat(panes.openConversations(erin)).hasSize(2);
		assertThat(panes.conversation(erin, deleted.id())).isPresent();
	}

	@Test
	void aTooLongSystemInstructionIsRefusedAndTheStoredOneStays() {
		Conversation pane = conversations.create(erin);
		conversations.changeSettings(erin, pane.id(), "x".repeat(100), null);

		assertThatThrownBy(() -> conversations.changeSettings(erin, pane.id(), "y".repeat(101), 0.5))
			.isInstanceOf(ConversationLimitException.class)
			.hasMessage("The system instructions are too long: 101 characters, at most 100 are allowed.");
		assertThat(panes.openConversation(erin, pane.id()).orElseThrow().systemInstruction())
			.isEqualTo("x".repeat(100));
	}

	@Test
	void panesCreatedAtOnceFromSeveralTabsOrNodesStopAtTheCap() throws Exception {
		long created = race(6, i -> conversations.create(erin));

		assertThat(created).isEqualTo(2);
		assertThat(panes.openConversations(erin)).hasSize(2);
	}

	@Test
	void conversationsCreatedAtOnceStopAtTheCap() throws Exception {
		conversations.close(erin, conversations.create(erin).id());
		conversations.close(erin, conversations.create(erin).id());

		// room for 2 open panes, but for 1 conversation more only
		long created = race(6, i -> conversations.create(erin));

		assertThat(created).isEqualTo(1);
		assertThat(panes.conversationCount(erin)).isEqualTo(3);
	}

	@Test
	void closedConversationsReopenedAtOnceStopAtTheCap() throws Exception {
		List<Conversation> closed = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Conversation pane = conversations.create(erin);
			conversations.close(erin, pane.id());
			closed.add(pane);
		}

		long opened = race(3, i -> conversations.open(erin, closed.get(i).id()));

		assertThat(opened).isEqualTo(2);
		assertThat(panes.openConversations(erin)).hasSize(2);
	}

	/**
	 * Calls {@code step} from {@code n} threads at once, as tabs on several nodes do
	 * (nothing shared but the database); how many were not refused.
	 */
	private static long race(int n, IntConsumer step) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(n);
		try {
			CountDownLatch ready = new CountDownLatch(n);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				int index = i;
				Callable<Boolean> attempt = () -> {
					ready.countDown();
					go.await();
					try {
						step.accept(index);
						return true;
					}
					catch (ConversationLimitException refused) {
						return false;
					}
				};
				results.add(threads.submit(attempt));
			}
			ready.await();
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
