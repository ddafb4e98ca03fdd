package dev.streamchat.streaming.internal;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.streaming.ClusterProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's lease among several nodes: renews it every heartbeat, and on the same beat ends
 * as interrupted the replies of nodes whose lease ran out, telling every node's listeners. Any
 * surviving node may do it; the status guard of {@link ReplyWriter#finish} lets exactly one win.
 */
public final class NodeLease {

    private static final Logger log = LoggerFactory.getLogger(NodeLease.class);
    public static final String DEAD_NODE = "The server generating this answer stopped responding before it was finished.";
    static final String RESTARTED = "The server restarted before this answer was finished.";

    private final String nodeId;
    private final ClusterProperties properties;
    private final NodeRegistry nodes;
    private final ReplyWriter replies;
    private final MessageBroadcaster broadcaster;
    private final Runnable onLeaseLost;
    /** Renews the lease while started; null before start and after leave. */
    private @Nullable ScheduledExecutorService beat;

    /** @param onLeaseLost runs when other nodes took this one for dead (a pause longer than the lease) */
    public NodeLease(String nodeId, ClusterProperties properties, NodeRegistry nodes, ReplyWriter replies,
                     MessageBroadcaster broadcaster, Runnable onLeaseLost) {
        this.nodeId = nodeId;
        this.properties = properties;
        this.nodes = nodes;
        this.replies = replies;
        this.broadcaster = broadcaster;
        this.onLeaseLost = onLeaseLost;
    }

    /** Takes the lease before this node starts any reply, and ends what an earlier run of it left streaming. */
    public void join() {
        nodes.heartbeat(nodeId);
        announce(replies.interruptRepliesOf(nodeId, RESTARTED));
        sweep();
    }

    /**
     * Starts renewing the lease, taking it out again first: a node that was stopped and started
     * (Spring pauses idle contexts in tests) gave its lease up when it stopped.
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
        } catch (RuntimeException e) {
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
        } catch (RuntimeException e) {
            // the database may be away for a moment; the next beat tries again
            log.warn("Renewing the lease of node {} failed: {}", nodeId, e.toString());
        }
    }

    private void sweep() {
        List<ChatMessage> ended = replies.interruptRepliesNotOn(nodeId, nodes.databaseNow().minus(properties.leaseTime()),
                DEAD_NODE);
        if (!ended.isEmpty()) {
            log.info("Ended {} replies of nodes whose lease ran out", ended.size());
            announce(ended);
        }
        nodes.forgetExpired(nodeId, properties.leaseTime());
    }

    private void announce(List<ChatMessage> ended) {
        for (ChatMessage m : ended) {
            broadcaster.publish(new MessageEvent.Finished(m.paneId(), m.id(), m.status(), m.error(), m.finishReason(),
                    m.usage(), m.elapsed(), m.text().length(), m.thinking().length(), m.firstToken()));
        }
    }
}
