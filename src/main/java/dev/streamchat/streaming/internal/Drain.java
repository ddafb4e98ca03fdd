package dev.streamchat.streaming.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.streaming.StreamingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This node's life as a generator of replies: it joins (ending what an earlier run left
 * streaming), takes prompts while running, and on shutdown drains: it refuses new
 * prompts, tells the load balancer and the open tabs, lets its replies finish, and hands
 * over (or interrupts) what is left before the database goes away.
 */
@Component
public class Drain implements SmartInitializingSingleton, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Drain.class);

	private static final String HANDED_OVER = "The server restarted; another server continues this answer.";

	private final Generations generations;

	private final NodeRole node;

	private final StreamingProperties properties;

	private final ApplicationEventPublisher events;

	private volatile boolean running;

	private volatile boolean draining;

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	Drain(Generations generations, NodeRole node, StreamingProperties properties, ApplicationEventPublisher events) {
		this.generations = generations;
		this.node = node;
		this.properties = properties;
		this.events = events;
	}

	/** Replies left streaming by a previous run are over: say so before anyone looks. */
	@Override
	public void afterSingletonsInstantiated() {
		node.join();
	}

	/** Whether this node takes new prompts (it is started and not draining). */
	public boolean takesPrompts() {
		return running;
	}

	/**
	 * Whether this node is shutting down: it takes no new prompts and lets its answers
	 * finish.
	 */
	public boolean isDraining() {
		return draining;
	}

	/**
	 * {@code listener} runs once, on the shutdown thread, when this node starts draining;
	 * it must only hand the news on.
	 * @return call it to unsubscribe
	 */
	public MessageBroadcaster.Subscription onDraining(Runnable listener) {
		Runnable entry = listener::run;
		listeners.add(entry);
		return () -> listeners.remove(entry);
	}

	@Override
	public void start() {
		draining = false;
		running = true;
		node.start();
	}

	/**
	 * Drains the node: refuses new prompts, tells the load balancer (readiness) and the
	 * open tabs, and lets every reply generating here finish, up to
	 * {@code chat.streaming.drain-timeout}; the web server keeps serving meanwhile (it
	 * stops in a later phase), so the tabs keep streaming. Replies still running then are
	 * handed over to another node (or, with none to take them, stored as interrupted).
	 * Runs synchronously, so Spring's {@code timeout-per-shutdown-phase} does not cut it
	 * short.
	 */
	@Override
	public void stop() {
		running = false;
		draining = true;
		AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
		node.drain();
		for (Runnable listener : listeners) {
			try {
				listener.run();
			}
			catch (RuntimeException e) {
				log.warn("A drain listener failed", e);
			}
		}
		if (!generations.awaitAll(properties.drainTimeout())) {
			if (node.handsOver()) {
				generations.handOverAll(HANDED_OVER);
			}
			else {
				generations.interruptAll("The server shut down before this answer was finished.");
			}
		}
		node.leave();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stop before the web server and the data source (which stop in later phases). */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1;
	}

}
