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
import dev.streamchat.streaming.internal.Generations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

import static org.awaitility.Awaitility.await;

/**
 * The service-level view of the app for a test, whichever context it runs in: signed in
 * as alice, a fresh pane per test, every event published for it recorded, the model's
 * scripts reset ({@link #resetModel}).
 */
public abstract class PaneTestSupport {

	@Autowired
	protected StreamingService streaming;

	@Autowired
	protected ConversationStore paneStore;

	@Autowired
	protected Messages messageStore;

	@Autowired
	protected ReplyWriter replyWriter;

	/**
	 * This node's generations: whoever's the reply, its conversation is freed at its end.
	 */
	@Autowired
	Generations generations;

	@Autowired
	protected UserAccounts accounts;

	@Autowired
	protected MessageBroadcaster broadcaster;

	protected UserId alice;

	protected Conversation pane;

	/** Everything published for {@link #pane}, in order. */
	protected final List<MessageEvent> events = new CopyOnWriteArrayList<>();

	private MessageBroadcaster.Subscription subscription;

	/** Forgets what the fake model was told and asked by earlier tests. */
	protected abstract void resetModel();

	@BeforeEach
	void setUpPane() {
		// a test class may serve every test from one instance (ApplicationModuleTest is
		// PER_CLASS)
		events.clear();
		resetModel();
		alice = accounts.find(TestUsers.ALICE).orElseThrow();
		pane = paneStore.create(alice, "gemini-2.5-flash");
		subscription = broadcaster.subscribe(pane.id(), events::add);
	}

	@AfterEach
	void unsubscribe() {
		subscription.close();
	}

	/** Waits until the reply has ended (in storage) and returns it as stored. */
	protected ChatMessage awaitEnd(MessageId reply) {
		// looked at at once and every 10 ms: a reply from the in-memory model ends within
		// milliseconds, and Awaitility's default (first look after 100 ms, then every
		// 100 ms) made these two waits most of a streaming test's time
		await().atMost(Duration.ofSeconds(20))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> messageStore.stored(reply).orElseThrow().status().isFinal());
		await().atMost(Duration.ofSeconds(5))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> !generations.isBusy(messageStore.stored(reply).orElseThrow().conversationId()));
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
