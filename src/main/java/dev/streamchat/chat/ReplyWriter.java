package dev.streamchat.chat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.streamchat.chat.internal.MessageMapper;
import dev.streamchat.chat.internal.MessageRecord;
import dev.streamchat.chat.internal.MessageRepository;
import dev.streamchat.chat.internal.MessageTree;
import dev.streamchat.chat.internal.PartRepository;
import dev.streamchat.chat.internal.PartRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The write path of a streaming reply: {@link #startReply} → {@link #append} (and
 * {@link #appendThought}) per batch → {@link #finish}; nothing on it reads the reply's text back.
 * Also ends the replies that nobody will finish any more (a restart, a dead node) as interrupted.
 * Its callers are the streaming module's, with ids they created or checked.
 */
@Service
public class ReplyWriter {

    private final MessageRepository messages;
    private final PartRepository parts;
    private final MessageTree tree;
    private final MessageMapper mapper;
    private final Clock clock = Clock.systemUTC();
    private final Counter appends;

    ReplyWriter(MessageRepository messages, PartRepository parts, MessageTree tree, MessageMapper mapper,
                MeterRegistry meters) {
        this.messages = messages;
        this.parts = parts;
        this.tree = tree;
        this.mapper = mapper;
        this.appends = Counter.builder("chat.store.appends")
                .description("Batches of streamed text appended to storage")
                .register(meters);
    }

    /** Creates the reply's row, empty and streaming, before the model is even asked. */
    @Transactional
    public ChatMessage startReply(PaneId pane, String model) {
        return startReply(pane, model, null);
    }

    /**
     * Creates the reply's row, empty and streaming, at the end of the conversation, recording the
     * node that generates it, so that another node can end it if that node dies (see
     * {@link #interruptRepliesNotOn}).
     */
    @Transactional
    public ChatMessage startReply(PaneId pane, String model, String node) {
        return startReply(pane, model, node, tree.tail(pane.value()));
    }

    /**
     * Creates a new answer to {@code prompt}, empty and streaming, as a new version beside the
     * earlier answers, and makes it the conversation.
     */
    @Transactional
    public ChatMessage startAnswerVersion(ChatMessage prompt, String model, String node) {
        ChatMessage reply = startReply(prompt.paneId(), model, node, prompt.id().value());
        tree.choose(reply.paneId().value(), reply.id().value());
        return messages.findById(reply.id().value()).map(mapper::toMessage).orElseThrow();
    }

    private ChatMessage startReply(PaneId pane, String model, String node, Long parent) {
        return mapper.toMessage(messages.save(new MessageRecord(null, pane.value(), Role.ASSISTANT.name(), "",
                MessageStatus.STREAMING.name(), model, null, null, 0, 0, 0, clock.instant(), null, node, "", null,
                false, parent, false, null)));
    }

    /**
     * Appends one batch that starts at {@code offset} (UTF-16 units) of the reply: a single insert.
     * Repeating a batch that was already stored (its acknowledgement got lost) changes nothing.
     * A batch holds whole characters: it never begins or ends between the halves of a surrogate pair.
     */
    public void append(MessageId reply, int offset, String text) {
        if (!text.isEmpty() && (Character.isLowSurrogate(text.charAt(0))
                || Character.isHighSurrogate(text.charAt(text.length() - 1)))) {
            // refused on every database alike: PostgreSQL cannot store half a character
            throw new IllegalArgumentException("a batch must not begin or end inside a surrogate pair");
        }
        try {
            messages.appendChunk(reply.value(), offset, text);
        } catch (DuplicateKeyException alreadyStored) {
            // a retry of a batch whose first attempt committed: the text is there once, as it should be
        }
        appends.increment();
    }

    /** Appends one batch of thought-summary text, like {@link #append} for the answer. */
    public void appendThought(MessageId reply, int offset, String text) {
        try {
            messages.appendThoughtChunk(reply.value(), offset, text);
        } catch (DuplicateKeyException alreadyStored) {
            // a retried batch: stored once already
        }
        appends.increment();
    }

    /** Stores a tool call of a reply as it stands (running, done or failed); a part is replaced by its seq. */
    public void savePart(MessageId reply, ToolPart part) {
        parts.save(new PartRow(reply.value(), part.seq(), part.anchor(), "TOOL_CALL", part.name(), part.argsJson(),
                part.status().name(), part.resultJson(), Panes.truncate(part.error(), 2000)));
    }

    /**
     * Stores the web sources of a reply as they stand (one statement; they come once or twice per
     * answer, not per token), before they are published, so another node can read them.
     */
    public void saveGrounding(MessageId reply, Grounding grounding) {
        messages.saveGrounding(reply.value(), mapper.groundingJson(grounding));
    }

    public boolean finish(MessageId reply, String text, Outcome outcome) {
        return finish(reply, text, "", List.of(), outcome);
    }

    /**
     * Ends a reply: its complete text, thinking, parts and outcome go into its own rows and the
     * batches are dropped. Returns false if the reply had already ended.
     */
    @Transactional
    public boolean finish(MessageId reply, String text, String thinking, List<ToolPart> toolParts, Outcome outcome) {
        Usage usage = outcome.usage();
        Integer firstTokenMs = outcome.firstToken() == null ? null : (int) outcome.firstToken().toMillis();
        int updated = messages.finish(reply.value(), text, thinking, outcome.status().name(),
                Panes.truncate(outcome.error(), 2000), outcome.finishReason(), usage.inputTokens(),
                usage.outputTokens(), usage.thoughtTokens(), firstTokenMs, clock.instant());
        if (updated == 1) {
            toolParts.forEach(part -> savePart(reply, part));
        }
        messages.deleteChunks(reply.value());
        messages.deleteThoughtChunks(reply.value());
        return updated == 1;
    }

    /**
     * Ends every reply left streaming by a generation that no longer exists (the server stopped
     * mid-answer) as {@link MessageStatus#INTERRUPTED}, keeping the text it had stored.
     */
    @Transactional
    public List<MessageId> interruptOrphans(String reason) {
        return interrupt(messages.findByStatus(MessageStatus.STREAMING.name()), reason).stream()
                .map(ChatMessage::id).toList();
    }

    /**
     * Ends as {@link MessageStatus#INTERRUPTED}, with the text they had stored, the replies still
     * streaming on a node that is neither {@code self} nor has renewed its lease since
     * {@code liveSince} (by the database's clock), and those of no known node. One query decides, so a
     * node that registers meanwhile cannot lose a reply it just started.
     *
     * @return the replies ended here (not those another node ended first)
     */
    @Transactional
    public List<ChatMessage> interruptRepliesNotOn(String self, Instant liveSince, String reason) {
        return interrupt(messages.findStreamingOfDeadNodes(self, liveSince), reason);
    }

    /** Ends the replies left streaming by an earlier run of this very node (same node id). */
    @Transactional
    public List<ChatMessage> interruptRepliesOf(String node, String reason) {
        return interrupt(messages.findByStatusAndNodeId(MessageStatus.STREAMING.name(), node), reason);
    }

    private List<ChatMessage> interrupt(List<MessageRecord> streaming, String reason) {
        List<ChatMessage> ended = new ArrayList<>();
        for (MessageRecord row : streaming) {
            MessageId id = new MessageId(row.id());
            // a tool that was running when the server went away will never finish
            List<ToolPart> stale = mapper.partsByMessage(List.of(row)).getOrDefault(row.id(), List.of()).stream()
                    .map(p -> p.status().isFinal() ? p : p.failed("interrupted by a server restart"))
                    .toList();
            if (finish(id, mapper.storedText(row), mapper.storedThinking(row), stale,
                    new Outcome(MessageStatus.INTERRUPTED, reason, null, Usage.NONE))) {
                messages.findById(row.id()).map(mapper::toMessage).ifPresent(ended::add);
            }
        }
        return ended;
    }
}
