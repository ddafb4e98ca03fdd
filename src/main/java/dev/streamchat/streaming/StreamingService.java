package dev.streamchat.streaming;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.chat.Pane;
import dev.streamchat.chat.PaneId;
import dev.streamchat.chat.Panes;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.Role;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.internal.ConversationTurns;
import dev.streamchat.streaming.internal.Generation;
import dev.streamchat.streaming.internal.Generations;
import dev.streamchat.streaming.internal.NodeRole;
import dev.streamchat.streaming.internal.StreamingMetrics;
import dev.streamchat.streaming.internal.ToolJson;
import dev.streamchat.streaming.internal.UserLimits;
import dev.streamchat.tools.ToolBox;
import dev.streamchat.tools.ToolContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * The commands that make the model answer: send, edit, retry, regenerate and stop, each checked
 * against its owner, admitted by the user's limits, and started as a {@link Generation} on a
 * thread of its own ({@link Generations} keeps them). What differs with several nodes is the
 * {@link NodeRole}'s business.
 */
@Service
public class StreamingService implements SmartInitializingSingleton, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamingService.class);
    private static final String STILL_STREAMING = "An answer is still streaming in this chat; stop it or wait.";

    private final Panes panes;
    private final Messages messages;
    private final ReplyWriter replies;
    private final ChatModel model;
    private final ModelCatalog catalog;
    private final MessageBroadcaster broadcaster;
    private final StreamingProperties properties;
    private final ToolBox tools;
    private final ToolJson json;
    private final StreamingMetrics metrics;
    private final ReplyStorage storage;
    private final UserLimits limits;
    private final Clock clock;
    private final Generations generations;
    private final ConversationTurns turns;
    private final NodeRole node;
    private final ApplicationEventPublisher events;
    private volatile boolean running;

    StreamingService(Panes panes, Messages messages, ReplyWriter replies, ChatModel model, ModelCatalog catalog,
                     MessageBroadcaster broadcaster, StreamingProperties properties, StreamingMetrics metrics,
                     ReplyStorage storage, ToolBox tools, ToolJson json, Generations generations,
                     ConversationTurns turns, NodeRole node, ApplicationEventPublisher events) {
        this.panes = panes;
        this.messages = messages;
        this.replies = replies;
        this.model = model;
        this.catalog = catalog;
        this.broadcaster = broadcaster;
        this.properties = properties;
        this.metrics = metrics;
        this.storage = storage;
        this.tools = tools;
        this.json = json;
        this.generations = generations;
        this.turns = turns;
        this.node = node;
        this.events = events;
        this.clock = Clock.systemUTC();
        this.limits = new UserLimits(properties.maxConcurrentPerUser(), properties.maxPromptsPerMinute(), clock);
        // another node's request was checked there
        broadcaster.onStopRequest(reply -> generations.stop(reply, MessageStatus.STOPPED, null));
    }

    /** Replies left streaming by a previous run are over: say so before anyone looks. */
    @Override
    public void afterSingletonsInstantiated() {
        node.join();
    }

    /** This node's name in the database, recorded on the replies it generates. */
    public String nodeId() {
        return node.nodeId();
    }

    /**
     * Stores the prompt and an empty streaming reply, and starts generating it.
     *
     * @return the reply, still empty
     * @throws PromptRejectedException when the prompt is empty or too long, the pane is unknown or
     *                                 still streaming; nothing is stored then
     */
    public ChatMessage send(UserId user, PaneId paneId, String prompt) {
        return send(user, paneId, prompt, List.of());
    }

    /**
     * Stores the prompt with its files (checked by the attachments intake) and an empty streaming
     * reply, and starts generating it. A prompt may be files alone.
     *
     * @return the reply, still empty
     * @throws PromptRejectedException as {@link #send(UserId, PaneId, String)}; nothing is stored then
     */
    public ChatMessage send(UserId user, PaneId paneId, String prompt, List<NewAttachment> files) {
        checkPrompt(prompt == null ? "" : prompt, !files.isEmpty());
        Pane pane = panes.pane(user, paneId).orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
        limits.admit(user);
        return start(user, pane, new Opening.NewPrompt(prompt == null ? "" : prompt, List.copyOf(files)));
    }

    private void checkPrompt(String prompt) {
        checkPrompt(prompt, false);
    }

    private void checkPrompt(String prompt, boolean hasFiles) {
        String text = prompt == null ? "" : prompt.strip();
        if (text.isEmpty() && !hasFiles) {
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
        ChatMessage prompt = messages.message(user, promptId)
                .orElseThrow(() -> new PromptRejectedException("This message no longer exists."));
        if (prompt.role() != Role.USER) {
            throw new PromptRejectedException("Only your own messages can be edited.");
        }
        Pane pane = panes.pane(user, prompt.paneId())
                .orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
        limits.admit(user);
        return start(user, pane, new Opening.EditedPrompt(promptId, text));
    }

    /**
     * Answers the prompt of a failed, interrupted or stopped reply again, as a new version of the
     * answer: the earlier attempt stays reachable ("1 / 2"), and is not sent to the model.
     *
     * @throws PromptRejectedException when the reply is not the latest message of its pane or still streaming
     */
    public ChatMessage retry(UserId user, MessageId replyId) {
        Pane pane = answerOf(user, replyId, m -> m.status().isRetryable(),
                "Only a failed, interrupted or stopped answer can be retried.");
        return start(user, pane, new Opening.AnswerAgain(replyId, true));
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

    /** The pane of an answer of the user's that {@code allowed} accepts; the user is admitted. */
    private Pane answerOf(UserId user, MessageId replyId, Predicate<ChatMessage> allowed, String notAllowed) {
        ChatMessage reply = messages.message(user, replyId)
                .orElseThrow(() -> new PromptRejectedException("This answer no longer exists."));
        if (reply.role() != Role.ASSISTANT || !allowed.test(reply)) {
            throw new PromptRejectedException(notAllowed);
        }
        Pane pane = panes.pane(user, reply.paneId())
                .orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
        limits.admit(user);
        return pane;
    }

    /** What a new reply answers. */
    private sealed interface Opening {
        /** A new prompt, with its files, at the end of the conversation. */
        record NewPrompt(String text, List<NewAttachment> files) implements Opening {
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
        if (!generations.reserve(paneId)) {
            throw new PromptRejectedException(STILL_STREAMING);
        }
        if (!limits.startStream(user)) {
            generations.release(paneId);
            throw new PromptRejectedException("You have %d answers streaming already; wait for one to finish."
                    .formatted(properties.maxConcurrentPerUser()));
        }
        try {
            List<ChatMessage> conversation = messages.currentPath(user, paneId);
            if (node.streamingElsewhere(conversation)) {
                throw new PromptRejectedException(STILL_STREAMING);
            }
            Opened opened = open(paneId, modelName, conversation, opening);
            ModelRequest request = new ModelRequest(modelName, opened.turns(), pane.systemInstruction(),
                    pane.temperature(), tools.specs());
            Generation generation = new Generation(opened.reply().id(), new ToolContext(user, paneId), request, model,
                    replies, messages, storage, broadcaster, tools, json, properties, metrics, clock);
            generations.add(generation);
            Thread.ofVirtual().name("generation-" + generation.messageId()).start(() -> {
                try {
                    generation.run();
                } finally {
                    generations.remove(generation);
                    limits.endStream(user);
                    generation.done().complete(null);
                }
                // after the pane is free again, so a listener may look at it as it now is
                publishFinished(new ReplyFinished(user, paneId, generation.messageId()));
            });
            return opened.reply();
        } catch (RuntimeException e) {
            generations.release(paneId);
            limits.endStream(user);
            throw e;
        }
    }

    /** The new reply, stored empty and streaming, and the turns the model is sent for it. */
    private record Opened(ChatMessage reply, List<ModelRequest.Turn> turns) {
    }

    /** Stores what the opening adds to the conversation and tells every view of the pane. */
    private Opened open(PaneId paneId, String modelName, List<ChatMessage> conversation, Opening opening) {
        return switch (opening) {
            case Opening.NewPrompt(String text, List<NewAttachment> files) -> {
                ChatMessage prompt = messages.addUserMessage(paneId, text, files);
                List<ModelRequest.Turn> sent = turns.turnsThen(conversation, text, prompt.attachments());
                broadcaster.publish(new MessageEvent.Added(prompt));
                ChatMessage reply = replies.startReply(paneId, modelName, node.nodeId());
                broadcaster.publish(new MessageEvent.Added(reply));
                yield new Opened(reply, sent);
            }
            case Opening.EditedPrompt(MessageId promptId, String text) -> {
                int at = indexIn(conversation, promptId);
                // the edited version keeps the files of the prompt it replaces
                List<ModelRequest.Turn> sent = turns.turnsThen(conversation.subList(0, at), text,
                        conversation.get(at).attachments());
                messages.addPromptVersion(conversation.get(at), text);
                ChatMessage reply = replies.startReply(paneId, modelName, node.nodeId());
                broadcaster.publish(new MessageEvent.PathChanged(paneId, reply.id()));
                yield new Opened(reply, sent);
            }
            case Opening.AnswerAgain(MessageId answer, boolean latestOnly) -> {
                if (latestOnly && (conversation.isEmpty() || !conversation.getLast().id().equals(answer))) {
                    throw new PromptRejectedException("Only the latest answer can be retried.");
                }
                int at = indexIn(conversation, answer);
                if (at == 0 || conversation.get(at - 1).role() != Role.USER) {
                    throw new PromptRejectedException("This answer has no prompt to answer again.");
                }
                ChatMessage reply = replies.startAnswerVersion(conversation.get(at - 1), modelName, node.nodeId());
                broadcaster.publish(new MessageEvent.PathChanged(paneId, reply.id()));
                yield new Opened(reply, turns.turns(conversation.subList(0, at)));
            }
        };
    }

    private static int indexIn(List<ChatMessage> conversation, MessageId id) {
        for (int i = 0; i < conversation.size(); i++) {
            if (conversation.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new PromptRejectedException("This message is no longer part of the conversation.");
    }

    private void publishFinished(ReplyFinished finished) {
        try {
            events.publishEvent(finished);
        } catch (RuntimeException e) {
            log.warn("A listener of reply {} failed", finished.messageId(), e);
        }
    }

    /**
     * Stops a streaming reply of the user's, the text so far kept: at once when this node generates
     * it, otherwise by asking the node that does.
     *
     * @return false when the reply is not the user's or not streaming (anywhere)
     */
    public boolean stop(UserId user, MessageId reply) {
        Optional<ChatMessage> owned = messages.message(user, reply);
        if (owned.isEmpty()) {
            return false;
        }
        return generations.stop(reply, MessageStatus.STOPPED, null) || node.stopElsewhere(owned.get());
    }

    /** Whether a reply of the pane is generating on this node. */
    public boolean isStreaming(PaneId pane) {
        return generations.isBusy(pane);
    }

    /**
     * The text generated so far of a streaming reply, copied once: this node's own, or another
     * node's as far as this node has received it. Empty when neither is known (use storage).
     */
    public Optional<String> liveText(MessageId reply) {
        return generations.get(reply).map(Generation::text).or(() -> broadcaster.remoteText(reply));
    }

    /** Everything generated so far (answer, thinking, tool calls) of a reply streaming on this server. */
    public Optional<LiveReply> live(MessageId reply) {
        return generations.live(reply);
    }

    // ---- lifecycle: stop generations before the database goes away, storing them as interrupted

    @Override
    public void start() {
        running = true;
        node.start();
    }

    @Override
    public void stop() {
        running = false;
        generations.interruptAll("The server shut down before this answer was finished.");
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
