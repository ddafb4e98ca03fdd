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
import dev.streamchat.chat.Pane;
import dev.streamchat.chat.PaneId;
import dev.streamchat.chat.Role;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.streaming.internal.Generation;
import dev.streamchat.tools.ToolBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Owns every reply being generated on this server: starts one per prompt (at most one per pane),
 * stops them on request, and lets a UI that opens a pane mid-stream copy the text so far.
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
    private final Clock clock;
    private final Map<PaneId, Boolean> busyPanes = new ConcurrentHashMap<>();
    private final Map<MessageId, Generation> byMessage = new ConcurrentHashMap<>();
    private volatile boolean running;

    StreamingService(ChatStore store, ChatModel model, ModelCatalog catalog, MessageBroadcaster broadcaster,
                     StreamingProperties properties, ToolBox tools) {
        this.tools = tools;
        this.store = store;
        this.model = model;
        this.catalog = catalog;
        this.broadcaster = broadcaster;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    /** Replies left streaming by a previous run of the server are over: say so before anyone looks. */
    @Override
    public void afterSingletonsInstantiated() {
        List<MessageId> orphans = store.interruptOrphans("The server restarted before this answer was finished.");
        if (!orphans.isEmpty()) {
            log.info("Marked {} replies interrupted by the last shutdown", orphans.size());
        }
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
            List<ModelRequest.Turn> history = new ArrayList<>(turns(store.history(paneId)));
            history.add(new ModelRequest.Turn(ModelRequest.Author.USER, prompt));
            ChatMessage question = store.addUserMessage(paneId, prompt);
            ChatMessage reply = store.startReply(paneId, modelName);
            broadcaster.publish(new MessageEvent.Added(question));
            broadcaster.publish(new MessageEvent.Added(reply));
            ModelRequest request = new ModelRequest(modelName, history, pane.systemInstruction(), pane.temperature(),
                    tools.specs());
            generation = new Generation(reply.id(), paneId, request, model, store, broadcaster, tools, properties, clock);
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

    /** Stops a reply that is streaming on this server; the text so far is kept. */
    public boolean stop(MessageId reply) {
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

    /** The text generated so far of a reply streaming on this server, copied once. */
    public Optional<String> liveText(MessageId reply) {
        return Optional.ofNullable(byMessage.get(reply)).map(Generation::text);
    }

    /** Everything generated so far (answer, thinking, tool calls) of a reply streaming on this server. */
    public Optional<LiveReply> live(MessageId reply) {
        return Optional.ofNullable(byMessage.get(reply)).map(Generation::snapshot);
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
    }

    @Override
    public void stop() {
        running = false;
        List<Generation> active = List.copyOf(byMessage.values());
        if (active.isEmpty()) {
            return;
        }
        log.info("Shutting down: interrupting {} streaming replies", active.size());
        active.forEach(g -> g.stop(MessageStatus.INTERRUPTED, "The server shut down before this answer was finished."));
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

    /** Stop before the web server and the data source (which stop in later phases). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }
}
