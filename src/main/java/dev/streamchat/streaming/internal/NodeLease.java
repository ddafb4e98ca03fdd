package dev.streamchat.streaming.internal;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.OrphanedReplies;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.streaming.ClusterProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's lease among several nodes: renews it every heartbeat, and on the same beat
 * hands the replies of nodes whose lease ran out (and those a draining node let go of) to
 * its {@link Adopter}, which takes them up or ends them, and tells every node's listeners
 * of those it ended. Any surviving node may do it; the claim in storage
 * ({@link OrphanedReplies#claim}) or the status guard of {@link ReplyWriter#finish} lets
 * exactly one win.
 */
public final class NodeLease {

	/**
	 * What this node does with orphaned replies; returns those it ended, for every view
	 * to be told.
	 */
	@FunctionalInterface
	public interface Adopter {

		List<ChatMessage> adopt(List<OrphanedReplies.Orphan> orphans);

	}

	private static final Logger log = LoggerFactory.getLogger(NodeLease.class);

	public static final String DEAD_NODE = "The server generating this answer stopped responding before it was finished.";
	static final String RESTARTED = "The server restarted before this answer was finished.";

	private final String nodeId;

	private final ClusterProperties properties;

	private final NodeRegistry nodes;

	private final OrphanedReplies replies;

	private final MessageBroadcaster broadcaster;

	private final Runnable onLeaseLost;

	private final Adopter adopter;

	/** Renews the lease while started; null before start and after leave. */
	private @Nullable ScheduledExecutorService beat;

	private volatile boolean draining;

	/** Ends orphaned replies as interrupted, as before replies could be continued. */
	public NodeLease(String nodeId, ClusterProperties properties, NodeRegistry nodes, OrphanedReplies replies,
			MessageBroadcaster broadcaster, Runnable onLeaseLost) {
		this(nodeId, properties, nodes, replies, broadcaster, onLeaseLost,
				orphans -> replies.interrupt(orphans, DEAD_NODE));
	}

	/**
	 * @param onLeaseLost runs when other nodes took this one for dead (a pause longer
	 * than the lease)
	 * @param adopter takes up or ends the replies of nodes that went away
	 */
	public NodeLease(String nodeId, ClusterProperties properties, NodeRegistry nodes, OrphanedReplies replies,
			MessageBroadcaster broadcaster, Runnable onLeaseLost, Adopter adopter) {
		this.adopter = adopter;
		this.nodeId = nodeId;
		this.properties = properties;
		this.nodes = nodes;
		this.replies = replies;
		this.broadcaster = broadcaster;
		this.onLeaseLost = onLeaseLost;
	}

	/**
	 * Takes the lease before this node starts any reply, and ends what an earlier run of
	 * it left streaming (or, when replies are continued, lets go of them: the first beat
	 * takes them up).
	 */
	public void join() {
		nodes.heartbeat(nodeId);
		if (properties.orphanedReplies() == ClusterProperties.OrphanedReplies.CONTINUE) {
			int released = replies.releaseRepliesOf(nodeId);
			if (released > 0) {
				log.info("Node {} left {} replies streaming when it last stopped; they are taken up", nodeId, released);
			}
			return;
		}
		announce(replies.interruptRepliesOf(nodeId, RESTARTED));
		sweep();
	}

	/**
	 * This node shuts down: it takes up no more replies of others (it renews its lease
	 * until it leaves).
	 */
	public void drain() {
		draining = true;
	}

	/**
	 * Starts renewing the lease, taking it out again first: a node that was stopped and
	 * started (Spring pauses idle contexts in tests) gave its lease up when it stopped.
	 */
	public synchronized void start() {
		nodes.heartbeat(nodeId);
		beat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("node-lease").factory());
		long period = properties.heartbeatInterval().toMillis();
		beat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
	}

	/** Stops renewing and gives the lease up, so that nobody waits for it to expire. */
	public synchronized void leave() {
		if (beat != null) {
			beat.shutdownNow();
			beat = null;
		}
		try {
			nodes.leave(nodeId);
		}
		catch (RuntimeException e) {
			log.warn("Could not give up the lease of node {}; it expires by itself: {}", nodeId, e.toString());
		}
	}

	private void beat() {
		try {
			if (!nodes.heartbeat(nodeId)) {
				log.warn("Node {} had lost its lease (paused longer than {}?); its replies were ended elsewhere",
						nodeId, properties.leaseTime());
				onLeaseLost.run();
			}
			sweep();
		}
		catch (RuntimeException e) {
			// the database may be away for a moment; the next beat tries again
			log.warn("Renewing the lease of node {} failed: {}", nodeId, e.toString());
		}
	}

	private void sweep() {
		if (draining) {
			return; // the nodes that stay take them up
		}
		List<OrphanedReplies.Orphan> orphans = replies.orphansNotOn(nodeId,
				nodes.databaseNow().minus(properties.leaseTime()));
		if (!orphans.isEmpty()) {
			List<ChatMessage> ended = adopter.adopt(orphans);
			if (!ended.isEmpty()) {
				log.info("Ended {} replies of nodes that went away", ended.size());
				announce(ended);
			}
		}
		nodes.forgetExpired(nodeId, properties.leaseTime());
	}

	private void announce(List<ChatMessage> ended) {
		for (ChatMessage m : ended) {
			broadcaster
				.publish(new MessageEvent.Finished(m.conversationId(), m.id(), m.status(), m.error(), m.finishReason(),
						m.usage(), m.elapsed(), m.text().length(), m.thinking().length(), m.firstToken()));
		}
	}

}
