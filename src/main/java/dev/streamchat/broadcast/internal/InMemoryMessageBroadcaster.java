package dev.streamchat.broadcast.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.PaneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Fan-out within one JVM: publishing is a map lookup and a loop over the pane's listeners. The
 * broadcaster of a single node, and the local half of {@link PostgresMessageBroadcaster}.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.mode", havingValue = "single", matchIfMissing = true)
class InMemoryMessageBroadcaster implements MessageBroadcaster {

    private static final Logger log = LoggerFactory.getLogger(InMemoryMessageBroadcaster.class);

    private final Map<PaneId, Set<Consumer<MessageEvent>>> listeners = new ConcurrentHashMap<>();

    @Override
    public void publish(MessageEvent event) {
        Set<Consumer<MessageEvent>> paneListeners = listeners.get(event.paneId());
        if (paneListeners == null) {
            return;
        }
        for (Consumer<MessageEvent> listener : paneListeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // one broken receiver must not stop the stream for the others
                log.warn("Listener of pane {} failed", event.paneId(), e);
            }
        }
    }

    @Override
    public Subscription subscribe(PaneId pane, Consumer<MessageEvent> listener) {
        // a wrapper per subscription, so the same listener can subscribe twice and unsubscribe once
        Consumer<MessageEvent> entry = listener::accept;
        listeners.compute(pane, (p, set) -> {
            Set<Consumer<MessageEvent>> result = set == null ? new CopyOnWriteArraySet<>() : set;
            result.add(entry);
            return result;
        });
        return () -> listeners.computeIfPresent(pane, (p, set) -> {
            set.remove(entry);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public int subscriberCount() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }
}
