package dev.streamchat.history;

import java.util.function.Consumer;

import dev.streamchat.broadcast.Listeners;
import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.security.UserId;
import org.springframework.stereotype.Component;

/**
 * Fans conversation changes out to every tab of their owner, so side lists follow without
 * a reload: this node's tabs at once, the other nodes' (with
 * {@code chat.cluster.mode=postgres}) through the broadcaster's node-wide signals.
 * Listeners are called on the publisher's thread (or the thread that receives another
 * node's signal) and must only hand the event on.
 */
@Component
public class ConversationEvents {

	static final String TOPIC = "conversation";

	private final Listeners<UserId, ConversationEvent> listeners = new Listeners<>();

	private final MessageBroadcaster broadcaster;

	ConversationEvents(MessageBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
		broadcaster.onSignal(TOPIC, payload -> deliver(decode(payload)));
	}

	public void publish(ConversationEvent event) {
		deliver(event);
		broadcaster.signal(TOPIC, encode(event));
	}

	/**
	 * {@code owner|conversation|change|title}, the title last (free text) and {@code 0}
	 * for none, else {@code 1title}.
	 */
	static String encode(ConversationEvent event) {
		return event.owner().value() + "|" + event.conversationId().value() + "|" + event.change().name() + "|"
				+ (event.title() == null ? "0" : "1" + event.title());
	}

	static ConversationEvent decode(String payload) {
		String[] f = payload.split("\\|", 4);
		return new ConversationEvent(new UserId(Long.parseLong(f[0])), new ConversationId(Long.parseLong(f[1])),
				ConversationEvent.Change.valueOf(f[2]), f[3].startsWith("1") ? f[3].substring(1) : null);
	}

	private void deliver(ConversationEvent event) {
		listeners.deliver(event.owner(), event);
	}

	/**
	 * @return call it to unsubscribe; a UI does so when it detaches
	 */
	public Subscription subscribe(UserId owner, Consumer<ConversationEvent> listener) {
		return listeners.subscribe(owner, listener)::close;
	}

	/** Number of listeners, for leak checks. */
	public int subscriberCount() {
		return listeners.count();
	}

	@FunctionalInterface
	public interface Subscription extends AutoCloseable {

		@Override
		void close();

	}

}
