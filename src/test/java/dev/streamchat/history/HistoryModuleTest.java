package dev.streamchat.history;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.streamchat.budget.Budgets;
import dev.streamchat.budget.Limits;
import dev.streamchat.budget.UsageKind;
import dev.streamchat.budget.UsageLedger;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.history.ConversationEvent.Change;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.StreamingService;
import dev.streamchat.testing.FakeChatModel;
import dev.streamchat.testing.FakeChatModelConfiguration;
import dev.streamchat.testing.TestUsers;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The history module with the modules below it and no UI, answering from the in-memory
 * {@link FakeChatModel}, with model titles on (the shared app context has them off): what
 * the conversation list is told, and the title the model suggests.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES, extraIncludes = "security")
@ActiveProfiles("test")
@TestPropertySource(properties = { "chat.model.api-key=test-key-not-a-secret", "chat.history.model-titles=true" })
@Import(FakeChatModelConfiguration.class)
class HistoryModuleTest {

	@Autowired
	Conversations conversations;

	@Autowired
	ConversationEvents conversationEvents;

	@Autowired
	StreamingService streaming;

	@Autowired
	ConversationStore paneStore;

	@Autowired
	UserAccounts accounts;

	@Autowired
	FakeChatModel model;

	@Autowired
	Budgets budgets;

	@Autowired
	UsageLedger ledger;

	UserId alice;

	final List<ConversationEvent> told = new CopyOnWriteArrayList<>();

	ConversationEvents.Subscription subscription;

	@BeforeEach
	void setUp() {
		model.reset();
		alice = accounts.find(TestUsers.ALICE).orElseThrow();
		subscription = conversationEvents.subscribe(alice, told::add);
	}

	@AfterEach
	void tearDown() {
		subscription.close();
	}

	@Test
	void theFirstAnswerTitlesTheConversationWithTheModelsSuggestionAndTheListIsTold() {
		Conversation pane = conversations.create(alice);
		model.when("bike lock", chunks("Try 0000 first."));
		model.when("3–6 word title", chunks("\"Bike Lock ", "Codes\""));

		streaming.send(alice, pane.id(), "I forgot my bike lock code");

		await().atMost(Duration.ofSeconds(10))
			.until(() -> told.stream()
				.anyMatch(e -> e.conversationId().equals(pane.id()) && e.change() == Change.RENAMED));
		assertThat(paneStore.conversation(alice, pane.id()).orElseThrow().title()).isEqualTo("Bike Lock Codes");
		assertThat(told).filteredOn(e -> e.conversationId().equals(pane.id()) && e.change() == Change.RENAMED)
			.singleElement()
			.satisfies(e -> assertThat(e.title()).isEqualTo("Bike Lock Codes"));
	}

	@Test
	void aTitleTheUserGaveIsNeverReplacedByTheModels() {
		Conversation pane = conversations.create(alice);
		conversations.rename(alice, pane.id(), "Mine");
		model.when("otters", chunks("They hold hands."));
		model.when("3–6 word title", chunks("Otter Facts"));

		streaming.send(alice, pane.id(), "tell me about otters");

		// the reply's end always moves the conversation up the list; a title would come
		// before that
		await().atMost(Duration.ofSeconds(10))
			.until(() -> told.stream()
				.anyMatch(e -> e.conversationId().equals(pane.id()) && e.change() == Change.ACTIVITY));
		assertThat(paneStore.conversation(alice, pane.id()).orElseThrow().title()).isEqualTo("Mine");
		assertThat(model.requests()).noneMatch(r -> r.lastUserText().contains("3–6 word title"));
	}

	@Test
	void theTitleRequestCountsAgainstTheUsersBudgetAndIsNotSentOnceItIsSpent() {
		UserId carol = accounts.create("carol-" + System.nanoTime() % 1_000_000, "carols-long-password");
		// the answer (3 in, 1 out) spends it: the title request after it must not go out
		budgets.setOverrides(carol, new Limits.Overrides(4L, null, null, null));
		List<ConversationEvent> carolTold = new CopyOnWriteArrayList<>();
		Conversation pane = conversations.create(carol);
		model.when("penguins", chunks("They cannot fly."));
		model.when("3–6 word title", chunks("Penguin Facts"));

		try (ConversationEvents.Subscription s = conversationEvents.subscribe(carol, carolTold::add)) {
			streaming.send(carol, pane.id(), "tell me about penguins please");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> carolTold.stream()
					.anyMatch(e -> e.conversationId().equals(pane.id()) && e.change() == Change.RENAMED));
		}

		assertThat(model.requests()).as("no title request").noneMatch(r -> r.lastUserText().contains("3–6 word title"));
		assertThat(paneStore.conversation(carol, pane.id()).orElseThrow().title())
			.isEqualTo("Tell me about penguins please");
		assertThat(ledger.spent(carol).today()).isEqualTo(4);
	}

	@Test
	void theTitleRequestIsCountedAsTheUsersSideRequest() {
		UserId dave = accounts.create("dave-" + System.nanoTime() % 1_000_000, "daves-long-password");
		Conversation pane = conversations.create(dave);
		model.when("walruses", chunks("They have tusks."));
		model.when("3–6 word title", chunks("Walrus Facts"));

		streaming.send(dave, pane.id(), "tell me about walruses");

		await().atMost(Duration.ofSeconds(10))
			.until(() -> ledger.report(ledger.today(), ledger.today())
				.stream()
				.anyMatch(r -> r.user().equals(dave) && r.kind() == UsageKind.TITLE));
		assertThat(ledger.report(ledger.today(), ledger.today())).filteredOn(r -> r.user().equals(dave))
			.extracting(UsageLedger.Row::kind, UsageLedger.Row::requests, UsageLedger.Row::inputTokens)
			.containsExactlyInAnyOrder(Tuple.tuple(UsageKind.REPLY, 1, 3L), Tuple.tuple(UsageKind.TITLE, 1, 3L));
	}

}
