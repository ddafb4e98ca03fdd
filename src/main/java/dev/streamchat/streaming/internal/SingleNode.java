package dev.streamchat.streaming.internal;

import java.util.List;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.OrphanedReplies;
import dev.streamchat.streaming.ClusterProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The only node: every reply left streaming at start-up belongs to a generation that is
 * gone.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.mode", havingValue = "single", matchIfMissing = true)
class SingleNode implements NodeRole {

	private static final Logger log = LoggerFactory.getLogger(SingleNode.class);

	private final OrphanedReplies replies;

	private final String nodeId;

	SingleNode(OrphanedReplies replies, ClusterProperties cluster) {
		this.replies = replies;
		this.nodeId = NodeRole.nodeIdOf(cluster);
	}

	@Override
	public String nodeId() {
		return nodeId;
	}

	@Override
	public void join() {
		List<MessageId> orphans = replies.interruptOrphans(NodeLease.RESTARTED);
		if (!orphans.isEmpty()) {
			log.info("Marked {} replies interrupted by the last shutdown", orphans.size());
		}
	}

	@Override
	public void start() {
	}

	@Override
	public void leave() {
	}

	@Override
	public boolean streamingElsewhere(List<ChatMessage> conversation) {
		return false;
	}

	@Override
	public boolean stopElsewhere(ChatMessage reply) {
		return false;
	}

}
