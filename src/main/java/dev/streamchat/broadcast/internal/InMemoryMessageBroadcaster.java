package dev.streamchat.broadcast.internal;

import java.util.Set;
import java.util.function.Consumer;

import dev.streamchat.broadcast.Listeners;
import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ConversationId;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Fan-out within one JVM: publishing is a map lookup and a loop over the pane's
 * listeners. The broadcaster of a single node, and the local half of
 * {@link PostgresMessageBroadcaster}.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.mode", havingValue = "single", matchIfMissing = true)
class InMemoryMessageBroadcaster implements MessageBroadcaster {

	private final Listeners<ConversationId, MessageEvent> listeners = new Listeners<>();

	@Override
	public void publish(MessageEvent event) {
		listeners.deliver(event.paneId(), event);
	}

	@Override
	public Subscription subscribe(ConversationId pane, Consumer<MessageEvent> listener) {
		return listeners.subscribe(pane, listener);
	}

	/** Whether a tab of this node shows {@code pane} now. */
	boolean watched(ConversationId pane) {
		return listeners.has(pane);
	}

	/** The panes that tabs of this node show now. */
	Set<ConversationId> watchedPanes() {
		return listeners.keys();
	}

	@Override
	public int subscriberCount() {
		return listeners.count();
	}

}
