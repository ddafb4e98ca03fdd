package dev.streamchat.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.streamchat.chat.internal.MessageRepository;
import dev.streamchat.chat.internal.MessageRow;
import dev.streamchat.chat.internal.PaneRepository;
import dev.streamchat.chat.internal.PaneRow;
import dev.streamchat.security.UserId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Panes and their messages. The write path of a streaming reply is
 * {@link #startReply} → {@link #append} per batch → {@link #finish}; nothing on it reads the reply's text back.
 */
@Service
public class ChatStore {

    private final PaneRepository panes;
    private final MessageRepository messages;
    private final NodeRegistry nodes;
    private final Clock clock;
    private final Counter appends;

    ChatStore(PaneRepository panes, MessageRepository messages, NodeRegistry nodes, MeterRegistry meters) {
        this.panes = panes;
        this.messages = messages;
        this.nodes = nodes;
        this.clock = Clock.systemUTC();
        this.appends = Counter.builder("chat.store.appends")
                .description("Batches of streamed text appended to storage")
                .register(meters);
    }

    // ---- panes

    // Every method that takes a pane or message id from outside also takes its owner: another
    // user's id finds nothing, exactly as an id that does not exist.

    public List<Pane> openPanes(UserId owner) {
        return panes.findByOwnerIdAndOpenTrueOrderByPositionAscIdAsc(owner.value()).stream().map(ChatStore::toPane).toList();
    }

    public Optional<Pane> pane(UserId owner, PaneId id) {
        return panes.findByIdAndOwnerId(id.value(), owner.value()).filter(PaneRow::open).map(ChatStore::toPane);
    }

    @Transactional
    public Pane createPane(UserId owner, String model) {
        int position = panes.maxPosition(owner.value()) + 1;
        return toPane(panes.save(new PaneRow(null, owner.value(), "Chat " + position, model, position, true,
                clock.instant())));
    }

    @Transactional
    public void changeModel(UserId owner, PaneId id, String model) {
        panes.findByIdAndOwnerId(id.value(), owner.value()).ifPresent(row -> panes.save(row.withModel(model)));
    }

    /** Hides a pane; its conversation stays stored. */
    @Transactional
    public void closePane(UserId owner, PaneId id) {
        panes.findByIdAndOwnerId(id.value(), owner.value()).ifPresent(row -> panes.save(row.closed()));
    }

    // ---- messages

    /** The pane's messages, oldest first; a reply still streaming carries the text stored so far. */
    public List<ChatMessage> history(UserId owner, PaneId pane) {
        return pane(owner, pane).isEmpty() ? List.of() : history(pane);
    }

    /** The pane's messages, for callers that already checked whose pane it is. */
    public List<ChatMessage> history(PaneId pane) {
        return messages.findByPaneIdOrderByIdAsc(pane.value()).stream().map(this::toMessage).toList();
    }

    public Optional<ChatMessage> message(UserId owner, MessageId id) {
        return messages.findOwned(id.value(), owner.value()).map(this::toMessage);
    }

    public Optional<ChatMessage> message(MessageId id) {
        return messages.findById(id.value()).map(this::toMessage);
    }

    @Transactional
    public ChatMessage addUserMessage(PaneId pane, String text) {
        Instant now = clock.instant();
        return toMessage(messages.save(new MessageRow(null, pane.value(), Role.USER.name(), text,
                MessageStatus.COMPLETE.name(), null, null, null, 0, 0, 0, now, now, null)));
    }

    /** Creates the reply's row, empty and streaming, before the model is even asked. */
    @Transactional
    public ChatMessage startReply(PaneId pane, String model) {
        return startReply(pane, model, null);
    }

    /**
     * Creates the reply's row, empty and streaming, recording the node that generates it, so that
     * another node can end it if that node dies (see {@link #interruptRepliesNotOn}).
     */
    @Transactional
    public ChatMessage startReply(PaneId pane, String model, String node) {
        return toMessage(messages.save(new MessageRow(null, pane.value(), Role.ASSISTANT.name(), "",
                MessageStatus.STREAMING.name(), model, null, null, 0, 0, 0, clock.instant(), null, node)));
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
        } catch (org.springframework.dao.DuplicateKeyException alreadyStored) {
            // a retry of a batch whose first attempt committed: the text is there once, as it should be
        }
        appends.increment();
    }

    /**
     * Ends a reply: its complete text and outcome go into its own row in one statement and the
     * batches are dropped. Returns false if the reply had already ended.
     */
    @Transactional
    public boolean finish(MessageId reply, String text, Outcome outcome) {
        Usage usage = outcome.usage();
        int updated = messages.finish(reply.value(), text, outcome.status().name(), truncate(outcome.error(), 2000),
                outcome.finishReason(), usage.inputTokens(), usage.outputTokens(), usage.thoughtTokens(),
                clock.instant());
        messages.deleteChunks(reply.value());
        return updated == 1;
    }

    /** Everything stored of a reply: its own text plus the batches of a reply still streaming. */
    public String storedText(MessageId reply) {
        return messages.findById(reply.value()).map(this::toMessage).map(ChatMessage::text).orElse("");
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
     * streaming on a node that is neither {@code self} nor has renewed its lease within
     * {@code lease} (by the database's clock), and those of no known node. One query decides, so a
     * node that registers meanwhile cannot lose a reply it just started.
     *
     * @return the replies ended here (not those another node ended first)
     */
    @Transactional
    public List<ChatMessage> interruptRepliesNotOn(String self, Duration lease, String reason) {
        Instant liveSince = nodes.databaseNow().minus(lease);
        return interrupt(messages.findStreamingOfDeadNodes(self, liveSince), reason);
    }

    /** Ends the replies left streaming by an earlier run of this very node (same node id). */
    @Transactional
    public List<ChatMessage> interruptRepliesOf(String node, String reason) {
        return interrupt(messages.findByStatusAndNodeId(MessageStatus.STREAMING.name(), node), reason);
    }

    private List<ChatMessage> interrupt(List<MessageRow> streaming, String reason) {
        List<ChatMessage> ended = new ArrayList<>();
        for (MessageRow row : streaming) {
            MessageId id = new MessageId(row.id());
            String text = row.content() + String.join("", messages.chunks(row.id()));
            if (finish(id, text, new Outcome(MessageStatus.INTERRUPTED, reason, null, Usage.NONE))) {
                message(id).ifPresent(ended::add);
            }
        }
        return ended;
    }

    private ChatMessage toMessage(MessageRow row) {
        MessageStatus status = MessageStatus.valueOf(row.status());
        String text = status == MessageStatus.STREAMING
                ? row.content() + String.join("", messages.chunks(row.id()))
                : row.content();
        return new ChatMessage(new MessageId(row.id()), new PaneId(row.paneId()), Role.valueOf(row.role()), text,
                status, row.model(), row.error(), row.finishReason(),
                new Usage(row.inputTokens(), row.outputTokens(), row.thoughtTokens()),
                row.createdAt(), row.finishedAt());
    }

    private static Pane toPane(PaneRow row) {
        return new Pane(new PaneId(row.id()), new UserId(row.ownerId()), row.title(), row.model(), row.position(),
                row.createdAt());
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
