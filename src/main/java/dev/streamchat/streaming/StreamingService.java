package dev.streamchat.streaming;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ChatStore;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.NodeRegistry;
import dev.streamchat.chat.Pane;
import dev.streamchat.chat.PaneId;
import dev.streamchat.chat.Role;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.streaming.internal.Generation;
import dev.streamchat.streaming.internal.NodeLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Owns every reply being generated on this server: starts one per prompt (at most one per pane),
 * stops them on request, and lets a UI that opens a pane mid-stream copy the text so far. With
 * several nodes ({@code chat.cluster.mode=postgres}) it holds this node's lease, records the node
 * on each reply, and passes Stop on to the node generating a reply.
 */
@Service
public class StreamingService implements SmartInitializingSingleton, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamingService.class);

    private final ChatStore store;
    private final ChatModel model;
    private final ModelCatalog catalog;
    private final MessageBroadcaster broadcaster;
    private final StreamingProperties properties;
    private final Clock clock;
    private final ClusterProperties cluster;
    private final String nodeId;
    private final NodeLease lease;
    private final Map<PaneId, Boolean> busyPanes = new ConcurrentHashMap<>();
    private final Map<MessageId, Generation> byMessage = new ConcurrentHashMap<>();
    private volatile boolean running;

    StreamingService(ChatStore store, ChatModel model, ModelCatalog catalog, MessageBroadcaster broadcaster,
                     StreamingProperties properties, ClusterProperties cluster, NodeRegistry nodes) {
        this.store = store;
        this.model = model;
        this.catalog = catalog;
        this.broadcaster = broadcaster;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        this.cluster = cluster;
        this.nodeId = cluster.nodeId().isBlank() ? generatedNodeId() : cluster.nodeId();
        this.lease = cluster.mode() == ClusterProperties.Mode.POSTGRES
                ? new NodeLease(nodeId, cluster, nodes, store, broadcaster, this::leaseLost)
                : null;
        broadcaster.onStopRequest(this::stopHere);
    }

    /**
     * Replies left streaming by a previous run are over: say so before anyone looks. Alone, that is
     * every streaming reply; among several nodes, those of nodes without a live lease (and of an
     * earlier run of this node), the rest as their nodes' leases run out.
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (lease != null) {
            lease.join();
            log.info("Node {} joined; leases last {}", nodeId, cluster.leaseTime());
            return;
        }
        List<MessageId> orphans = store.interruptOrphans("The server restarted before this answer was finished.");
        if (!orphans.isEmpty()) {
            log.info("Marked {} replies interrupted by the last shutdown", orphans.size());
        }
    }

    /** This node's name in the database, recorded on the replies it generates. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Stores the prompt and an empty streaming reply, and starts generating it.
     *
     * @return the reply, still empty
     * @throws PromptRejectedException when the prompt is empty or too long, the pane is unknown or
     *                                 still streaming; nothing is stored then
     */
    public ChatMessage send(PaneId paneId, String prompt) {
        String text = prompt == null ? "" : prompt.strip();
        if (text.isEmpty()) {
            throw new PromptRejectedException("Type a message first.");
        }
        if (prompt.length() > properties.maxPromptChars()) {
            throw new PromptRejectedException("The message is too long: %,d characters, at most %,d are allowed."
                    .formatted(prompt.length(), properties.maxPromptChars()));
        }
        if (!running) {
            throw new PromptRejectedException("The server is shutting down; try again in a moment.");
        }
        Pane pane = store.pane(paneId).orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
        String modelName = catalog.resolve(pane.model());
        // one reply per pane at a time: reserve the pane before storing anything
        if (busyPanes.putIfAbsent(paneId, Boolean.TRUE) != null) {
            throw new PromptRejectedException("An answer is still streaming in this chat; stop it or wait.");
        }
        Generation generation;
        try {
            List<ChatMessage> earlier = store.history(paneId);
            if (lease != null && earlier.stream().anyMatch(ChatMessage::isStreaming)) {
                // the reservation above only covers this node
                throw new PromptRejectedException("An answer is still streaming in this chat; stop it or wait.");
            }
            List<ModelRequest.Turn> history = new ArrayList<>(turns(earlier));
            history.add(new ModelRequest.Turn(ModelRequest.Author.USER, prompt));
            ChatMessage question = store.addUserMessage(paneId, prompt);
            ChatMessage reply = store.startReply(paneId, modelName, nodeId);
            broadcaster.publish(new MessageEvent.Added(question));
            broadcaster.publish(new MessageEvent.Added(reply));
            generation = new Generation(reply.id(), paneId, new ModelRequest(modelName, history), model, store,
                    broadcaster, properties, clock);
            byMessage.put(reply.id(), generation);
            Thread.ofVirtual().name("generation-" + reply.id()).start(() -> {
                try {
                    generation.run();
                } finally {
                    byMessage.remove(generation.messageId());
                    busyPanes.remove(paneId);
                    generation.done().complete(null);
                }
            });
            return reply;
        } catch (RuntimeException e) {
            busyPanes.remove(paneId);
            throw e;
        }
    }

    /**
     * Stops a streaming reply, the text so far kept: at once when this node generates it,
     * otherwise by asking the node that does.
     *
     * @return false when the reply is not streaming (anywhere)
     */
    public boolean stop(MessageId reply) {
        if (stopHere(reply)) {
            return true;
        }
        if (lease != null && store.message(reply).filter(ChatMessage::isStreaming).isPresent()) {
            broadcaster.requestStop(reply);
            return true;
        }
        return false;
    }

    private boolean stopHere(MessageId reply) {
        Generation generation = byMessage.get(reply);
        if (generation == null) {
            return false;
        }
        generation.stop(MessageStatus.STOPPED, null);
        return true;
    }

    public boolean isStreaming(PaneId pane) {
        return busyPanes.containsKey(pane);
    }

    /**
     * The text generated so far of a streaming reply, copied once: this node's own, or another
     * node's as far as this node has received it. Empty when neither is known (use storage).
     */
    public Optional<String> liveText(MessageId reply) {
        return Optional.ofNullable(byMessage.get(reply)).map(Generation::text).or(() -> broadcaster.remoteText(reply));
    }

    /** Model turns from stored messages; empty replies (failed before any text) carry nothing to continue from. */
    private static List<ModelRequest.Turn> turns(List<ChatMessage> messages) {
        return messages.stream()
                .filter(m -> !m.text().isEmpty())
                .map(m -> new ModelRequest.Turn(
                        m.role() == Role.USER ? ModelRequest.Author.USER : ModelRequest.Author.MODEL, m.text()))
                .toList();
    }

    // ---- lifecycle: stop generations before the database goes away, storing them as interrupted

    @Override
    public void start() {
        running = true;
        if (lease != null) {
            lease.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        interruptAll("The server shut down before this answer was finished.");
        if (lease != null) {
            lease.leave();
        }
    }

    /** Other nodes took this one for dead and ended its replies: stop generating them. */
    private void leaseLost() {
        byMessage.values().forEach(g -> g.stop(MessageStatus.INTERRUPTED, NodeLease.DEAD_NODE));
    }

    private void interruptAll(String reason) {
        List<Generation> active = List.copyOf(byMessage.values());
        if (active.isEmpty()) {
            return;
        }
        log.info("Shutting down: interrupting {} streaming replies", active.size());
        active.forEach(g -> g.stop(MessageStatus.INTERRUPTED, reason));
        try {
            CompletableFuture.allOf(active.stream().map(Generation::done).toArray(CompletableFuture[]::new))
                    .get(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{} replies did not end in time; the next start marks them interrupted", byMessage.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static String generatedNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stop before the web server and the data source (which stop in later phases). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }
}
