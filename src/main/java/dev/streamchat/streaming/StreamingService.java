package dev.streamchat.streaming;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
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
import dev.streamchat.streaming.internal.StreamingMetrics;
import dev.streamchat.streaming.internal.UserLimits;
import dev.streamchat.security.UserId;
import dev.streamchat.tools.ToolBox;
import dev.streamchat.tools.ToolContext;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
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
    private final ToolBox tools;
    private final StreamingMetrics metrics;
    private final ReplyStorage storage;
    private final UserLimits limits;
    private final Clock clock;
    private final ClusterProperties cluster;
    private final String nodeId;
    private final NodeLease lease;
    private final ApplicationEventPublisher events;
    private static final Set<MessageStatus> RETRYABLE =
            EnumSet.of(MessageStatus.FAILED, MessageStatus.INTERRUPTED, MessageStatus.STOPPED);

    private final Map<PaneId, Boolean> busyPanes = new ConcurrentHashMap<>();
    private final Map<MessageId, Generation> byMessage = new ConcurrentHashMap<>();
    private volatile boolean running;

    StreamingService(ChatStore store, ChatModel model, ModelCatalog catalog, MessageBroadcaster broadcaster,
                     StreamingProperties properties, StreamingMetrics metrics, MeterRegistry meters,
                     ClusterProperties cluster, NodeRegistry nodes, ReplyStorage storage, ToolBox tools,
                     ApplicationEventPublisher events) {
        this.tools = tools;
        this.events = events;
        this.store = store;
        this.model = model;
        this.catalog = catalog;
        this.broadcaster = broadcaster;
        this.properties = properties;
        this.metrics = metrics;
        this.storage = storage;
        this.clock = Clock.systemUTC();
        this.limits = new UserLimits(properties.maxConcurrentPerUser(), properties.maxPromptsPerMinute(), clock);
        Gauge.builder("chat.stream.active", byMessage, Map::size).description("Replies streaming on this server")
                .register(meters);
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
    public ChatMessage send(UserId user, PaneId paneId, String prompt) {
        checkPrompt(prompt);
        Pane pane = store.pane(user, paneId).orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
        limits.admit(user);
        return start(user, pane, new Opening.NewPrompt(prompt));
    }

    private void checkPrompt(String prompt) {
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
    }

    /**
     * Sends an edited version of an earlier prompt and streams its answer. The earlier prompt, its
     * answer and everything after them stay as the version the user can switch back to ("1 / 2").
     *
     * @throws PromptRejectedException as {@link #send}, and when the prompt is not part of the conversation
     */
    public ChatMessage edit(UserId user, MessageId promptId, String text) {
        checkPrompt(text);
        ChatMessage prompt = store.message(user, promptId)
                .orElseThrow(() -> new PromptRejectedException("This message no longer exists."));
        if (prompt.role() != Role.USER) {
            throw new PromptRejectedException("Only your own messages can be edited.");
        }
        Pane pane = store.pane(user, prompt.paneId())
                .orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
        limits.admit(user);
        return start(user, pane, new Opening.EditedPrompt(promptId, text));
    }

    /** What a new reply answers. */
    private sealed interface Opening {
        /** A new prompt at the end of the conversation. */
        record NewPrompt(String text) implements Opening {
        }

        /** A new version of an earlier prompt of the conversation. */
        record EditedPrompt(MessageId prompt, String text) implements Opening {
        }

        /**
         * The prompt of this answer of the conversation, answered again as a new version; when
         * {@code latestOnly}, only if the answer is the conversation's last message.
         */
        record AnswerAgain(MessageId answer, boolean latestOnly) implements Opening {
        }
    }

    /** Starts a reply, reserving the pane before anything is stored. */
    private ChatMessage start(UserId user, Pane pane, Opening opening) {
        PaneId paneId = pane.id();
        String modelName = catalog.resolve(pane.model());
        // one reply per pane at a time: reserve the pane before storing anything
        if (busyPanes.putIfAbsent(paneId, Boolean.TRUE) != null) {
            throw new PromptRejectedException("An answer is still streaming in this chat; stop it or wait.");
        }
        if (!limits.startStream(user)) {
            busyPanes.remove(paneId);
            throw new PromptRejectedException("You have %d answers streaming already; wait for one to finish."
                    .formatted(properties.maxConcurrentPerUser()));
        }
        try {
            List<ChatMessage> conversation = store.currentPath(paneId);
            if (lease != null && conversation.stream().anyMatch(ChatMessage::isStreaming)) {
                // the reservation above only covers this node
                throw new PromptRejectedException("An answer is still streaming in this chat; stop it or wait.");
            }
            List<ModelRequest.Turn> turns;
            ChatMessage reply;
            switch (opening) {
                case Opening.NewPrompt(String text) -> {
                    turns = append(turns(conversation), text);
                    broadcaster.publish(new MessageEvent.Added(store.addUserMessage(paneId, text)));
                    reply = store.startReply(paneId, modelName, nodeId);
                    broadcaster.publish(new MessageEvent.Added(reply));
                }
                case Opening.EditedPrompt(MessageId promptId, String text) -> {
                    int at = indexIn(conversation, promptId);
                    turns = append(turns(conversation.subList(0, at)), text);
                    store.addPromptVersion(conversation.get(at), text);
                    reply = store.startReply(paneId, modelName, nodeId);
                    broadcaster.publish(new MessageEvent.PathChanged(paneId, reply.id()));
                }
                case Opening.AnswerAgain(MessageId answer, boolean latestOnly) -> {
                    if (latestOnly && (conversation.isEmpty() || !conversation.getLast().id().equals(answer))) {
                        throw new PromptRejectedException("Only the latest answer can be retried.");
                    }
                    int at = indexIn(conversation, answer);
                    if (at == 0 || conversation.get(at - 1).role() != Role.USER) {
                        throw new PromptRejectedException("This answer has no prompt to answer again.");
                    }
                    turns = turns(conversation.subList(0, at));
                    reply = store.startAnswerVersion(conversation.get(at - 1), modelName, nodeId);
                    broadcaster.publish(new MessageEvent.PathChanged(paneId, reply.id()));
                }
            }
            ModelRequest request = new ModelRequest(modelName, turns, pane.systemInstruction(), pane.temperature(),
                    tools.specs());
            Generation generation = new Generation(reply.id(), new ToolContext(user, paneId), request, model, store,
                    storage, broadcaster, tools, properties, metrics, clock);
            byMessage.put(reply.id(), generation);
            Thread.ofVirtual().name("generation-" + reply.id()).start(() -> {
                try {
                    generation.run();
                } finally {
                    byMessage.remove(generation.messageId());
                    busyPanes.remove(paneId);
                    limits.endStream(user);
                    generation.done().complete(null);
                }
                // after the pane is free again, so a listener may look at it as it now is
                publishFinished(new ReplyFinished(user, paneId, generation.messageId()));
            });
            return reply;
        } catch (RuntimeException e) {
            busyPanes.remove(paneId);
            limits.endStream(user);
            throw e;
        }
    }

    private void publishFinished(ReplyFinished finished) {
        try {
            events.publishEvent(finished);
        } catch (RuntimeException e) {
            log.warn("A listener of reply {} failed", finished.messageId(), e);
        }
    }

    /**
     * Answers the prompt of a failed, interrupted or stopped reply again, as a new version of the
     * answer: the earlier attempt stays reachable ("1 / 2"), and is not sent to the model.
     *
     * @throws PromptRejectedException when the reply is not the latest message of its pane or still streaming
     */
    public ChatMessage retry(UserId user, MessageId replyId) {
        Pane pane = answerOf(user, replyId, m -> RETRYABLE.contains(m.status()),
                "Only a failed, interrupted or stopped answer can be retried.");
        return start(user, pane, new Opening.AnswerAgain(replyId, true));
    }

    /** The pane of an answer of the user's that {@code allowed} accepts; the user is admitted. */
    private Pane answerOf(UserId user, MessageId replyId, java.util.function.Predicate<ChatMessage> allowed,
                          String notAllowed) {
        ChatMessage reply = store.message(user, replyId)
                .orElseThrow(() -> new PromptRejectedException("This answer no longer exists."));
        if (reply.role() != Role.ASSISTANT || !allowed.test(reply)) {
            throw new PromptRejectedException(notAllowed);
        }
        Pane pane = store.pane(user, reply.paneId())
                .orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
        limits.admit(user);
        return pane;
    }

    /**
     * Answers the prompt of an answer of the conversation again. The earlier answer, and whatever
     * followed it, stay as a version ("1 / 2") the user can switch back to; the model is sent the
     * conversation up to the prompt.
     *
     * @throws PromptRejectedException unless the reply has ended and is part of the conversation
     */
    public ChatMessage regenerate(UserId user, MessageId replyId) {
        Pane pane = answerOf(user, replyId, m -> !m.isStreaming(), "Only an answer that has ended can be regenerated.");
        return start(user, pane, new Opening.AnswerAgain(replyId, false));
    }

    /** Switches a prompt or an answer to another of its versions; every view of the pane follows. */
    public void selectVersion(UserId user, MessageId version) {
        ChatMessage chosen = store.message(user, version)
                .orElseThrow(() -> new PromptRejectedException("This message no longer exists."));
        if (isStreaming(chosen.paneId())) {
            throw new PromptRejectedException("Wait for the answer to finish before switching versions.");
        }
        if (store.chooseVersion(user, version)) {
            broadcaster.publish(new MessageEvent.PathChanged(chosen.paneId(), version));
        }
    }

    private static int indexIn(List<ChatMessage> conversation, MessageId id) {
        for (int i = 0; i < conversation.size(); i++) {
            if (conversation.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new PromptRejectedException("This message is no longer part of the conversation.");
    }

    private static List<ModelRequest.Turn> append(List<ModelRequest.Turn> turns, String prompt) {
        List<ModelRequest.Turn> all = new ArrayList<>(turns);
        all.add(new ModelRequest.Turn(ModelRequest.Author.USER, prompt));
        return all;
    }

    /**
     * Deletes a prompt and its answers (the exchange {@code message} belongs to) and tells every
     * view of the pane.
     *
     * @throws PromptRejectedException while an answer of the exchange is streaming
     */
    public void deleteExchange(UserId user, MessageId message) {
        Optional<ChatMessage> target = store.message(user, message);
        if (target.isEmpty()) {
            return;
        }
        List<MessageId> deleted;
        try {
            deleted = store.deleteExchange(user, message);
        } catch (IllegalStateException streaming) {
            throw new PromptRejectedException("This answer is still streaming; stop it first.");
        }
        deleted.forEach(id -> broadcaster.publish(new MessageEvent.Removed(target.get().paneId(), id)));
    }

    /**
     * Stops a streaming reply of the user's, the text so far kept: at once when this node generates
     * it, otherwise by asking the node that does.
     *
     * @return false when the reply is not the user's or not streaming (anywhere)
     */
    public boolean stop(UserId user, MessageId reply) {
        Optional<ChatMessage> owned = store.message(user, reply);
        if (owned.isEmpty()) {
            return false;
        }
        if (stopHere(reply)) {
            return true;
        }
        if (lease != null && owned.get().isStreaming()) {
            broadcaster.requestStop(reply);
            return true;
        }
        return false;
    }

    /** Stops a reply generated on this node; another node's request was checked there. */
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

    /** Everything generated so far (answer, thinking, tool calls) of a reply streaming on this server. */
    public Optional<LiveReply> live(MessageId reply) {
        return Optional.ofNullable(byMessage.get(reply)).map(Generation::snapshot);
    }

    /**
     * Model turns from stored messages. Failed and interrupted replies are incomplete attempts,
     * not part of the conversation; a stopped reply is what the user chose to keep.
     */
    private static List<ModelRequest.Turn> turns(List<ChatMessage> messages) {
        return messages.stream()
                .filter(m -> !m.text().isEmpty() || !m.parts().isEmpty())
                .filter(m -> m.status() != MessageStatus.FAILED && m.status() != MessageStatus.INTERRUPTED)
                .map(m -> new ModelRequest.Turn(
                        m.role() == Role.USER ? ModelRequest.Author.USER : ModelRequest.Author.MODEL, m.text(),
                        m.parts().stream().map(StreamingService::toolUse).toList()))
                .toList();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A stored tool call as the model was told of it: what it asked for, and the result or the error. */
    private static ModelRequest.ToolUse toolUse(dev.streamchat.chat.ToolPart part) {
        Map<String, Object> response = part.status() == dev.streamchat.chat.ToolPart.ToolStatus.DONE
                ? object(part.resultJson())
                : Map.of("error", part.error() == null ? "the tool did not finish" : part.error());
        return new ModelRequest.ToolUse(part.anchor(), part.name(), object(part.argsJson()), response);
    }

    private static Map<String, Object> object(String json) {
        try {
            return json == null || json.isBlank() ? Map.of()
                    : JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                    });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Map.of("value", json);
        }
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
