package dev.streamchat.budget;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.PromptRejectedException;
import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.StreamingTestSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Per-user budgets with the whole app and the fake Gemini: each test's user has overrides
 * of their own (the shared test profile has no limits), and what counts is in the
 * database, not in a node.
 */
class BudgetsTest extends StreamingTestSupport {

	@Autowired
	Budgets budgets;

	@Autowired
	UsageLedger ledger;

	@Autowired
	JdbcClient jdbc;

	UserId bob;

	Conversation bobsPane;

	@BeforeEach
	void newUser() {
		bob = accounts.create("bob-" + UUID.randomUUID().toString().substring(0, 8), "bobs-long-password");
		bobsPane = paneStore.create(bob, "gemini-2.5-flash");
	}

	void limit(@Nullable Long daily, @Nullable Long monthly, @Nullable Integer streams, @Nullable Integer perMinute) {
		budgets.setOverrides(bob, new Limits.Overrides(daily, monthly, streams, perMinute));
	}

	@Test
	void aSpentDailyBudgetRefusesThePromptBeforeAnythingIsStoredOrSentAndSaysWhatIsLeftAndWhenItResets() {
		limit(100L, 1_000L, null, null);
		ledger.record(bob, "gemini-2.5-flash", UsageKind.REPLY, new ModelChunk.TokenCounts(60, 30, 10));

		assertThatThrownBy(() -> streaming.send(bob, bobsPane.id(), "one more?"))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessageContaining(
					"daily token budget is spent: 0 of 100 tokens left today (900 of 1,000 left this month)")
			.hasMessageMatching("(?s).*It resets at 00:00 UTC, in \\d+ (h \\d+ )?min\\.");
		assertThat(fake.requests()).as("nothing sent").isEmpty();
		assertThat(messageStore.history(bob, bobsPane.id())).as("nothing stored").isEmpty();
	}

	@Test
	void aSpentMonthlyBudgetSaysWhenTheMonthTurns() {
		limit(null, 50L, null, null);
		ledger.record(bob, "gemini-2.5-pro", UsageKind.TITLE, new ModelChunk.TokenCounts(50, 0, 0));

		assertThatThrownBy(() -> streaming.send(bob, bobsPane.id(), "hello"))
			.hasMessageContaining("monthly token budget is spent: 0 of 50 tokens left this month. It resets on 1 ");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void everyRoundOfAnAnswerCountsItsInputOutputAndThinkingTokens() {
		fake.when("what is 2+3", Reply.events(Chunk.call("calculate", Map.of("expression", "2+3"))).usage(11, 2, 5));
		fake.when("what is 2+3", Reply.chunks("It is 5.").usage(20, 4, 1));

		awaitEnd(streaming.send(bob, bobsPane.id(), "what is 2+3").id());

		assertThat(ledger.spent(bob).today()).isEqualTo(11 + 2 + 5 + 20 + 4 + 1);
		assertThat(ledger.report(ledger.today(), ledger.today())).filteredOn(r -> r.user().equals(bob))
			.singleElement()
			.satisfies(row -> {
				assertThat(row.requests()).isEqualTo(2);
				assertThat(row.kind()).isEqualTo(UsageKind.REPLY);
				assertThat(row.model()).isEqualTo("gemini-2.5-flash");
				assertThat(row.thoughtTokens()).isEqualTo(6);
			});
	}

	@Test
	void aBudgetSpentDuringAnAnswerSendsNoFurtherToolRound() {
		limit(10L, null, null, null);
		fake.when("sum please", Reply.events(Chunk.call("calculate", Map.of("expression", "1+1"))).usage(8, 3, 0));
		fake.when("sum please", Reply.chunks("never sent"));

		ChatMessage done = awaitEnd(streaming.send(bob, bobsPane.id(), "sum please").id());

		assertThat(fake.requests()).as("the second round was not sent").hasSize(1);
		assertThat(done.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(done.error()).contains("daily token budget is spent");
	}

	@Test
	void promptsPerMinuteCountWhatTheUserSentOnEveryNodeAndSayWhenToTryAgain() {
		limit(null, null, null, 2);
		// a prompt admitted 20 s ago by another node: the log is in the database, not in
		// this node
		jdbc.sql("insert into prompt_log (user_id, sent_at) values (?, ?)")
			.param(bob.value())
			.param(OffsetDateTime.now().minusSeconds(20))
			.update();
		fake.when("first", Reply.chunks("ok"));
		awaitEnd(streaming.send(bob, bobsPane.id(), "first").id());

		assertThatThrownBy(() -> streaming.send(bob, bobsPane.id(), "second"))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessageMatching("Too many messages: at most 2 a minute\\. Try again in (3\\d|4[0-1]) s\\.");
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void concurrentStreamsCountTheRepliesStreamingOnEveryNode() {
		limit(null, null, 1, null);
		Conversation other = paneStore.create(bob, "gemini-2.5-flash");
		CountDownLatch hold = new CountDownLatch(1);
		fake.when("long one", Reply.chunks("Still ", "going").holdAfter(1, hold));
		ChatMessage first = streaming.send(bob, bobsPane.id(), "long one");

		assertThatThrownBy(() -> streaming.send(bob, other.id(), "another")).isInstanceOf(PromptRejectedException.class)
			.hasMessage("You have 1 answer streaming already; wait for it to finish.");

		hold.countDown();
		awaitEnd(first.id());
		fake.when("another", Reply.chunks("now"));
		assertThat(awaitEnd(streaming.send(bob, other.id(), "another").id()).status())
			.isEqualTo(MessageStatus.COMPLETE);
	}

	@Test
	void aDisabledAccountsOpenSessionSendsNoMorePrompts() {
		accounts.setEnabled(bob, false);

		assertThatThrownBy(() -> streaming.send(bob, bobsPane.id(), "still here?")).hasMessageContaining("disabled");
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void aUserWithinBudgetIsToldWhatIsLeft() {
		limit(1_000L, null, null, null);
		ledger.record(bob, "gemini-2.5-flash", UsageKind.REPLY, new ModelChunk.TokenCounts(100, 50, 50));

		assertThat(budgets.left(bob)).isEqualTo(new Budgets.Left(800L, null));
	}

}
