package dev.streamchat.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.StreamingService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * The streaming module with what it depends on (chat, model, broadcast, tools, security)
 * and the conversations' front doors (history), but no UI and no web server, answering
 * from the in-memory {@link FakeChatModel}: for tests whose claim is about our streaming
 * logic and storage, not about the SDK or the wire ({@code FakeGemini} stays for those).
 * Signed in as alice, a fresh pane per test, every event published for it recorded, the
 * model's scripts reset. The database can be made to fail ({@link FlakyDatabase}; it
 * passes everything through unless told). Every test class of the streaming module that
 * extends this shares one Spring context; one that adds {@link OnPostgresCluster} shares
 * another.
 */
@ApplicationModuleTest(module = "streaming", mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES,
		extraIncludes = { "security", "history" })
@ActiveProfiles("test")
// the panes' models are those of a configured key (never used: the fake answers); a small
// context limit (about 4 000 bytes of conversation) so that a test can go past it cheaply
@TestPropertySource(properties = { "chat.model.api-key=" + FakeGeminiConfiguration.API_KEY,
		"chat.model.models=gemini-2.5-flash,gemini-2.5-pro", "chat.model.default-model=gemini-2.5-flash",
		"chat.streaming.max-context-tokens=1000" })
@Import({ FakeChatModelConfiguration.class, FlakyDatabase.class })
public abstract class FakeModelTestSupport {

	@Autowired
	protected StreamingService streaming;

	@Autowired
	protected ConversationStore paneStore;

	@Autowired
	protected Messages messageStore;

	@Autowired
	protected ReplyWriter replyWriter;

	@Autowired
	protected UserAccounts accounts;

	@Autowired
	protected MessageBroadcaster broadcaster;

	@Autowired
	protected FakeChatModel model;

	@Autowired
	protected FlakyDatabase database;

	protected UserId alice;

	protected Conversation pane;

	/** Everything published for {@link #pane}, in order. */
	protected final List<MessageEvent> events = new CopyOnWriteArrayList<>();

	private MessageBroadcaster.Subscription subscription;

	@BeforeEach
	void setUpPane() {
		// one instance serves every test of a class (ApplicationModuleTest is PER_CLASS)
		events.clear();
		model.reset();
		alice = accounts.find(TestUsers.ALICE).orElseThrow();
		pane = paneStore.createPane(alice, "gemini-2.5-flash");
		subscription = broadcaster.subscribe(pane.id(), events::add);
	}

	@AfterEach
	void tearDownPane() {
		subscription.close();
		database.recover();
	}

	/** Waits until the reply has ended (in storage) and returns it as stored. */
	protected ChatMessage awaitEnd(MessageId reply) {
		await().atMost(Duration.ofSeconds(20)).until(() -> messageStore.stored(reply).orElseThrow().status().isFinal());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> !streaming.isStreaming(messageStore.stored(reply).orElseThrow().paneId()));
		return messageStore.stored(reply).orElseThrow();
	}

	/** The text the screen was sent for the pane, delta by delta. */
	protected String shownText() {
		StringBuilder text = new StringBuilder();
		events.stream()
			.filter(e -> e instanceof MessageEvent.Delta)
			.map(e -> (MessageEvent.Delta) e)
			.forEach(d -> text.append(d.text()));
		return text.toString();
	}

}
