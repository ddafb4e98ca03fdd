package dev.streamchat.history;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

import dev.streamchat.security.UserId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fans conversation changes out to every tab of their owner, so side lists follow without a
 * reload. Within this JVM only: with several nodes, a tab on another node sees the change on its
 * next load. Listeners are called on the publisher's thread and must only hand the event on.
 */
@Component
public class ConversationEvents {

    private static final Logger log = LoggerFactory.getLogger(ConversationEvents.class);

    private final Map<UserId, Set<Consumer<ConversationEvent>>> listeners = new ConcurrentHashMap<>();

    public void publish(ConversationEvent event) {
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
