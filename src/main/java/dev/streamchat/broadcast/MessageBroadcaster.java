package dev.streamchat.broadcast;

import java.util.Optional;
import java.util.function.Consumer;

import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;

/**
 * Fans message events out to everyone showing a pane. Listeners are called on the
 * publisher's thread, in publication order, and must only hand the event on (never
 * block).
 */
public interface MessageBroadcaster {

	void publish(MessageEvent event);

	/**
	 * @return call it to unsubscribe; a UI does so when its component detaches
	 */
	Subscription subscribe(ConversationId pane, Consumer<MessageEvent> listener);

	/** Number of listeners, for leak checks and metrics. */
	int subscriberCount();

	/**
	 * The text so far of a reply streaming on another node, as this node received it
	 * (ahead of storage, which lags by up to one batch). Empty when there is no other
	 * node or this node has not followed the reply from its start.
	 */
	default Optional<String> remoteText(MessageId reply) {
		return Optional.empty();
	}

	/**
	 * Asks the node generating {@code reply} to stop it. With one node there is nobody
	 * else to ask.
	 */
	default void requestStop(MessageId reply) {
	}

	/**
	 * {@code handler} runs when another node asks for a reply to stop; it must not block.
	 */
	default Subscription onStopRequest(Consumer<MessageId> handler) {
		return () -> {
		};
	}

	/**
	 * Tells the other nodes something that is not a pane's message (e.g. a renamed
	 * conversation): {@code payload} (at most a few thousand characters) on
	 * {@code topic}. With one node there is nobody else to tell; this node's own
	 * listeners are the caller's business.
	 */
	default void signal(String topic, String payload) {
	}

	/**
	 * {@code handler} runs for every signal another node sends on {@code topic}; it must
	 * not block.
	 */
	default Subscription onSignal(String topic, Consumer<String> handler) {
		return () -> {
		};
	}

	@FunctionalInterface
	interface Subscription extends AutoCloseable {

		@Override
		void close();

	}

}
