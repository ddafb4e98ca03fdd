package dev.streamchat.history;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.PaneId;
import dev.streamchat.security.UserId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fans conversation changes out to every tab of their owner, so side lists follow without a
 * reload: this node's tabs at once, the other nodes' (with {@code chat.cluster.mode=postgres})
 * through the broadcaster's node-wide signals. Listeners are called on the publisher's thread (or
 * the thread that receives another node's signal) and must only hand the event on.
 */
@Component
public class ConversationEvents {

    static final String TOPIC = "conversation";
    private static final Logger log = LoggerFactory.getLogger(ConversationEvents.class);

    private final Map<UserId, Set<Consumer<ConversationEvent>>> listeners = new ConcurrentHashMap<>();
    private final MessageBroadcaster broadcaster;

    ConversationEvents(MessageBroadcaster broadcaster) {
        this.broadcaster = broadcaster;
        broadcaster.onSignal(TOPIC, payload -> deliver(decode(payload)));
    }

    public void publish(ConversationEvent event) {
        deliver(event);
        broadcaster.signal(TOPIC, encode(event));
    }

    /** {@code owner|pane|change|title}, the title last (free text) and {@code 0} for none, else {@code 1title}. */
    static String encode(ConversationEvent event) {
        return event.owner().value() + "|" + event.paneId().value() + "|" + event.change().name() + "|"
                + (event.title() == null ? "0" : "1" + event.title());
    }

    static ConversationEvent decode(String payload) {
        String[] f = payload.split("\\|", 4);
        return new ConversationEvent(new UserId(Long.parseLong(f[0])), new PaneId(Long.parseLong(f[1])),
                ConversationEvent.Change.valueOf(f[2]), f[3].startsWith("1") ? f[3].substring(1) : null);
    }

    private void deliver(ConversationEvent event) {
        for (Consumer<ConversationEvent> listener : listeners.getOrDefault(event.owner(), Set.of())) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("Conversation listener of user {} failed", event.owner(), e);
            }
        }
    }

    /** @return call it to unsubscribe; a UI does so when it detaches */
    public Subscription subscribe(UserId owner, Consumer<ConversationEvent> listener) {
        // a wrapper per subscription, so one listener may subscribe twice and unsubscribe once
        Consumer<ConversationEvent> entry = listener::accept;
        listeners.compute(owner, (o, set) -> {
            Set<Consumer<ConversationEvent>> result = set == null ? new CopyOnWriteArraySet<>() : set;
            result.add(entry);
            return result;
        });
        return () -> listeners.computeIfPresent(owner, (o, set) -> {
            set.remove(entry);
            return set.isEmpty() ? null : set;
        });
    }

    /** Number of listeners, for leak checks. */
    public int subscriberCount() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }

    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
