package dev.streamchat.streaming.internal;

import java.util.List;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.OrphanedReplies;
import dev.streamchat.streaming.ClusterProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * One of several nodes over one PostgreSQL database: holds this node's lease
 * ({@link NodeLease}), sees replies streaming on other nodes in storage, and passes Stop
 * on to the node generating a reply.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.mode", havingValue = "postgres")
class ClusterNode implements NodeRole {

	private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

	private final String nodeId;

	private final ClusterProperties cluster;

	private final NodeLease lease;

	private final MessageBroadcaster broadcaster;

	ClusterNode(ClusterProperties cluster, NodeRegistry nodes, OrphanedReplies replies, MessageBroadcaster broadcaster,
			Generations generations, Continuations continuations) {
		this.nodeId = NodeRole.nodeIdOf(cluster);
		this.cluster = cluster;
		this.broadcaster = broadcaster;
		// other nodes took this one for dead and took up or ended its replies: stop
		// generating them (storage refuses this node's end of a reply another node took
		// up)
		this.lease = new NodeLease(nodeId, cluster, nodes, replies, broadcaster,
				() -> generations.stopAll(MessageStatus.INTERRUPTED, NodeLease.DEAD_NODE),
				cluster.orphanedReplies() == ClusterProperties.OrphanedReplies.CONTINUE
						? orphans -> continuations.takeOver(nodeId, orphans)
						: orphans -> replies.interrupt(orphans, NodeLease.DEAD_NODE));
	}

	@Override
	public boolean handsOver() {
		return cluster.orphanedReplies() == ClusterProperties.OrphanedReplies.CONTINUE;
	}

	@Override
	public void drain() {
		lease.drain();
	}

	@Override
	public String nodeId() {
		return nodeId;
	}

	/** Ends only this node's leftovers and those of dead nodes, never a live node's. */
	@Override
	public void join() {
		lease.join();
		log.info("Node {} joined; leases last {}", nodeId, cluster.leaseTime());
	}

	@Override
	public void start() {
		lease.start();
	}

	@Override
	public void leave() {
		lease.leave();
	}

	@Override
	public boolean streamingElsewhere(List<ChatMessage> conversation) {
		return conversation.stream().anyMatch(ChatMessage::isStreaming);
	}

	@Override
	public boolean stopElsewhere(ChatMessage reply) {
		if (!reply.isStreaming()) {
			return false;
		}
		broadcaster.requestStop(reply.id());
		return true;
	}

}
