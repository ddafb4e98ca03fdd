package dev.streamchat.broadcast;

import java.util.function.Consumer;

import dev.streamchat.chat.PaneId;

/**
 * Fans message events out to everyone showing a pane. Listeners are called on the publisher's
 * thread, in publication order, and must only hand the event on (never block).
 */
public interface MessageBroadcaster {

    void publish(MessageEvent event);

    /** @return call it to unsubscribe; a UI does so when its component detaches */
    Subscription subscribe(PaneId pane, Consumer<MessageEvent> listener);

    /** Number of listeners, for leak checks and metrics. */
    int subscriberCount();

    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
