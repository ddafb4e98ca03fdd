package dev.streamchat.streaming.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.LiveReply;
import dev.streamchat.streaming.StreamingProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The replies being generated on this node: which conversations are busy (one reply per
 * conversation at a time), the generation of each reply, and stopping them, one on
 * request or all at shutdown.
 */
@Component
public class Generations {

	private static final Logger log = LoggerFactory.getLogger(Generations.class);

	private final Map<ConversationId, Boolean> busyConversations = new ConcurrentHashMap<>();

	private final Map<MessageId, Generation> byMessage = new ConcurrentHashMap<>();

	private final StreamingProperties properties;

	Generations(StreamingProperties properties, MeterRegistry meters) {
		this.properties = properties;
		Gauge.builder("chat.stream.active", byMessage, Map::size)
			.description("Replies streaming on this server")
			.register(meters);
	}

	/**
	 * Reserves the conversation for one reply; false if a reply of it is generating here
	 * already.
	 */
	public boolean reserve(ConversationId conversation) {
		return busyConversations.putIfAbsent(conversation, Boolean.TRUE) == null;
	}

	public void release(ConversationId conversation) {
		busyConversations.remove(conversation);
	}

	public boolean isBusy(ConversationId conversation) {
		return busyConversations.containsKey(conversation);
	}

	public void add(Generation generation) {
		byMessage.put(generation.messageId(), generation);
	}

	/** The generation has ended: forgets it and frees its conversation. */
	public void remove(Generation generation) {
		byMessage.remove(generation.messageId());
		busyConversations.remove(generation.conversationId());
	}

	public Optional<Generation> get(MessageId reply) {
		return Optional.ofNullable(byMessage.get(reply));
	}

	/** Stops a reply generated on this node; false if it is not generated here. */
	public boolean stop(MessageId reply, MessageStatus as, @Nullable String reason) {
		Generation generation = byMessage.get(reply);
		if (generation == null) {
			return false;
		}
		generation.stop(as, reason);
		return true;
	}

	/** The reply so far, if it is streaming here and is {@code owner}'s. */
	public Optional<LiveReply> live(UserId owner, MessageId reply) {
		return get(reply).filter(g -> g.owner().equals(owner)).map(Generation::snapshot);
	}

	/** Stops every generation of this node as {@code as}; returns at once. */
	public void stopAll(MessageStatus as, String reason) {
		byMessage.values().forEach(g -> g.stop(as, reason));
	}

	/** Replies generating on this node. */
	public int count() {
		return byMessage.size();
	}

	/**
	 * Waits up to {@code timeout} for every reply generating on this node to end by
	 * itself (a draining node lets them finish).
	 * @return whether none is left
	 */
	public boolean awaitAll(Duration timeout) {
		List<Generation> active = List.copyOf(byMessage.values());
		if (active.isEmpty()) {
			return true;
		}
		log.info("Draining: waiting up to {} for {} streaming replies to finish", timeout, active.size());
		try {
			CompletableFuture.allOf(active.stream().map(Generation::done).toArray(CompletableFuture[]::new))
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException e) {
			log.info("Drained for {}: {} replies still streaming", timeout, byMessage.size());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		return byMessage.isEmpty();
	}

	/**
	 * Hands every generation over (stored as it stands, left streaming for another node
	 * to take up) and waits up to {@code chat.streaming.shutdown-grace} for them to be
	 * stored so.
	 */
	public void handOverAll(String reason) {
		List<Generation> active = List.copyOf(byMessage.values());
		if (active.isEmpty()) {
			return;
		}
		log.info("Shutting down: handing {} streaming replies over to another node", active.size());
		active.forEach(g -> g.handOver(reason));
		awaitEnd(active);
	}

	/**
	 * Stops every generation as interrupted and waits up to
	 * {@code chat.streaming.shutdown-grace} for them to be stored so.
	 */
	public void interruptAll(String reason) {
		List<Generation> active = List.copyOf(byMessage.values());
		if (active.isEmpty()) {
			return;
		}
		log.info("Shutting down: interrupting {} streaming replies", active.size());
		active.forEach(g -> g.stop(MessageStatus.INTERRUPTED, reason));
		awaitEnd(active);
	}

	private void awaitEnd(List<Generation> active) {
		try {
			CompletableFuture.allOf(active.stream().map(Generation::done).toArray(CompletableFuture[]::new))
				.get(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException e) {
			log.warn("{} replies did not end in time; the next start marks them interrupted", byMessage.size());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

}
