package dev.streamchat.broadcast;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners by key (a pane, a user), called on the publisher's thread in subscription
 * order; one that throws is logged and the others still get the event. The plumbing of
 * every fan-out here: the in-memory broadcaster's and the conversation list's.
 */
public final class Listeners<K, E> {

	private static final Logger log = LoggerFactory.getLogger(Listeners.class);

	private final Map<K, Set<Consumer<E>>> byKey = new ConcurrentHashMap<>();

	public void deliver(K key, E event) {
		Set<Consumer<E>> listeners = byKey.get(key);
		if (listeners == null) {
			return;
		}
		for (Consumer<E> listener : listeners) {
			try {
				listener.accept(event);
			}
			catch (RuntimeException e) {
				// one broken receiver must not stop the others
				log.warn("A listener of {} failed", key, e);
			}
		}
	}

	/**
	 * @return call it to unsubscribe
	 */
	public MessageBroadcaster.Subscription subscribe(K key, Consumer<E> listener) {
		// a wrapper per subscription, so the same listener can subscribe twice and
		// unsubscribe once
		Consumer<E> entry = listener::accept;
		byKey.compute(key, (k, set) -> {
			Set<Consumer<E>> result = set == null ? new CopyOnWriteArraySet<>() : set;
			result.add(entry);
			return result;
		});
		return () -> byKey.computeIfPresent(key, (k, set) -> {
			set.remove(entry);
			return set.isEmpty() ? null : set;
		});
	}

	/** Whether anyone listens for {@code key} now. */
	public boolean has(K key) {
		return byKey.containsKey(key);
	}

	/** The keys someone listens for now (a copy). */
	public Set<K> keys() {
		return Set.copyOf(byKey.keySet());
	}

	/** Number of listeners, for leak checks and metrics. */
	public int count() {
		return byKey.values().stream().mapToInt(Set::size).sum();
	}

}
