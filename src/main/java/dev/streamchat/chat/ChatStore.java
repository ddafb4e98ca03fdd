package dev.streamchat.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.streamchat.chat.internal.MessageRepository;
import dev.streamchat.chat.internal.MessageRow;
import dev.streamchat.chat.internal.PartRepository;
import dev.streamchat.chat.internal.PartRow;
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
    private final PartRepository parts;
    private final NodeRegistry nodes;
    private final Clock clock;
    private final Counter appends;

    ChatStore(PaneRepository panes, MessageRepository messages, PartRepository parts, NodeRegistry nodes,
              MeterRegistry meters) {
        this.panes = panes;
        this.messages = messages;
        this.parts = parts;
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
        return panes.findByOwnerIdAndOpenTrueAndDeletedAtIsNullOrderByPositionAscIdAsc(owner.value()).stream()
                .map(ChatStore::toPane).toList();
    }

    /** The owner's pane if it is open (and not deleted); what a pane may be shown and sent to by. */
    public Optional<Pane> pane(UserId owner, PaneId id) {
        return owned(owner, id).filter(PaneRow::open).map(ChatStore::toPane);
    }

    private Optional<PaneRow> owned(UserId owner, PaneId id) {
        return panes.findByIdAndOwnerIdAndDeletedAtIsNull(id.value(), owner.value());
    }

    @Transactional
    public Pane createPane(UserId owner, String model) {
        int position = panes.maxPosition(owner.value()) + 1;
        return toPane(panes.save(new PaneRow(null, owner.value(), DEFAULT_TITLE_PREFIX + position, model, position,
                true, clock.instant(), null, null, false, null)));
    }

    /** New panes are called "Chat 3" until renamed or titled from their first exchange. */
    public static final String DEFAULT_TITLE_PREFIX = "Chat ";

    @Transactional
    public void changeModel(UserId owner, PaneId id, String model) {
        panes.updateModel(id.value(), owner.value(), model);
    }

    /** Remembers how the pane's conversation is continued: system instruction (blank: none) and temperature. */
    @Transactional
    public void changeSettings(UserId owner, PaneId id, String systemInstruction, Double temperature) {
        String instruction = systemInstruction == null || systemInstruction.isBlank() ? null : systemInstruction;
        panes.updateSettings(id.value(), owner.value(), instruction, temperature);
    }

    /** Hides a pane; its conversation stays stored. */
    @Transactional
    public void closePane(UserId owner, PaneId id) {
        owned(owner, id).ifPresent(row -> panes.updateOpen(row.id(), row.ownerId(), false, row.position()));
    }

    // ---- conversations (the side list)

    /** The owner's conversations, open or closed, the one with the latest message first. */
    public List<Conversation> conversations(UserId owner) {
        return panes.findConversations(owner.value()).stream().map(ChatStore::toConversation).toList();
    }

    /** One of the owner's conversations, open or closed; empty if deleted or not the owner's. */
    public Optional<Conversation> conversation(UserId owner, PaneId id) {
        return owned(owner, id).map(ChatStore::toConversation);
    }

    /**
     * Opens a closed conversation as the last pane; an open one stays where it is.
     *
     * @return the pane; empty if there is no such conversation of the owner's
     */
    @Transactional
    public Optional<Pane> openPane(UserId owner, PaneId id) {
        Optional<PaneRow> row = owned(owner, id);
        if (row.isPresent() && !row.get().open()) {
            panes.updateOpen(id.value(), owner.value(), true, panes.maxPosition(owner.value()) + 1);
        }
        return row.isEmpty() ? Optional.empty() : pane(owner, id);
    }

    /**
     * Gives a conversation the user's title, which no automatic title replaces.
     *
     * @return the title as stored (stripped, shortened); empty if there is no such conversation or it is blank
     */
    @Transactional
    public Optional<String> rename(UserId owner, PaneId id, String title) {
        String clean = title == null ? "" : title.strip().replaceAll("\\s+", " ");
        if (clean.isEmpty()) {
            return Optional.empty();
        }
        String stored = truncate(clean, MAX_TITLE);
        return panes.rename(id.value(), owner.value(), stored) == 1 ? Optional.of(stored) : Optional.empty();
    }

    /** Longest title kept (the column holds 200). */
    public static final int MAX_TITLE = 100;

    /**
     * Titles a conversation automatically, unless it has a title already (the user's, or an
     * earlier automatic one), so a rename is never overwritten, however the two race.
     *
     * @return whether this title was stored
     */
    @Transactional
    public boolean titleIfUntitled(PaneId id, String title) {
        return panes.setTitleIfUnset(id.value(), truncate(title.strip(), MAX_TITLE)) == 1;
    }

    /**
     * Deletes a conversation of the owner's so that it can be undone ({@link #restore}): from now on
     * it is found nowhere, not in the side list, as a pane or by a search.
     *
     * @return false if there is no such conversation (or it is deleted already)
     */
    @Transactional
    public boolean delete(UserId owner, PaneId id) {
        return panes.markDeleted(id.value(), owner.value(), clock.instant()) == 1;
    }

    /** Undoes {@link #delete}: the conversation is back as it was, open or closed. */
    @Transactional
    public Optional<Conversation> restore(UserId owner, PaneId id) {
        panes.unmarkDeleted(id.value(), owner.value());
        return conversation(owner, id);
    }

    // ---- messages

    /** The pane's messages, oldest first; a reply still streaming carries the text stored so far. */
    public List<ChatMessage> history(UserId owner, PaneId pane) {
        return pane(owner, pane).isEmpty() ? List.of() : history(pane);
    }

    /**
     * A page of the owner's pane: the {@code limit} messages before {@code before} (null: the
     * latest), oldest first. A long conversation opens with its latest page and loads older ones
     * as the user scrolls up, so opening it costs the same however long it is.
     */
    public List<ChatMessage> page(UserId owner, PaneId pane, MessageId before, int limit) {
        if (pane(owner, pane).isEmpty()) {
            return List.of();
        }
        List<MessageRow> newestFirst = messages.pageBefore(pane.value(),
                before == null ? Long.MAX_VALUE : before.value(), limit);
        return toMessages(newestFirst.reversed());
    }

    /** The pane's messages, for callers that already checked whose pane it is. */
    public List<ChatMessage> history(PaneId pane) {
        return toMessages(messages.findByPaneIdOrderByIdAsc(pane.value()));
    }

    public Optional<ChatMessage> message(UserId owner, MessageId id) {
        return messages.findOwned(id.value(), owner.value()).map(this::toMessage);
    }

    public Optional<ChatMessage> message(MessageId id) {
        return messages.findById(id.value()).map(row -> toMessages(List.of(row)).getFirst());
    }

    /**
     * The owner's messages in conversations other than {@code excludePane} (null: all) containing
     * {@code query} (case-insensitive), newest first, each with an excerpt around the match.
     */
    public List<SearchHit> search(UserId owner, String query, PaneId excludePane, int limit) {
        String needle = query.strip();
        if (needle.isEmpty()) {
            return List.of();
        }
        return parts.search(owner.value(), needle, excludePane == null ? -1 : excludePane.value(), limit).stream()
                .map(hit -> new SearchHit(new PaneId(hit.paneId()), hit.title(), new MessageId(hit.id()),
                        Role.valueOf(hit.role()), snippet(hit.content(), needle), hit.createdAt()))
                .toList();
    }

    static String snippet(String text, String needle) {
        int at = text.toLowerCase(Locale.ROOT).indexOf(needle.toLowerCase(Locale.ROOT));
        int from = Math.max(0, at - 60);
        int to = Math.min(text.length(), Math.max(at, 0) + needle.length() + 100);
        String excerpt = text.substring(from, to).replaceAll("\\s+", " ").strip();
        return (from > 0 ? "…" : "") + excerpt + (to < text.length() ? "…" : "");
    }

    @Transactional
    public ChatMessage addUserMessage(PaneId pane, String text) {
        Instant now = clock.instant();
        return toMessage(messages.save(new MessageRow(null, pane.value(), Role.USER.name(), text,
                MessageStatus.COMPLETE.name(), null, null, null, 0, 0, 0, now, now, null, "", null, false)));
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
                MessageStatus.STREAMING.name(), model, null, null, 0, 0, 0, clock.instant(), null, node, "", null,
                false)));
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
     * Deletes one exchange of the owner's: the prompt {@code anyOf} belongs to (or is) and every
     * answer to it, up to the next prompt. Parts and batches go with them (cascade).
     *
     * @return the deleted messages, oldest first; empty if there is no such message of the owner's
     * @throws IllegalStateException when an answer of the exchange is still streaming
     */
    @Transactional
    public List<MessageId> deleteExchange(UserId owner, MessageId anyOf) {
        Optional<MessageRow> found = messages.findOwned(anyOf.value(), owner.value());
        if (found.isEmpty()) {
            return List.of();
        }
        List<MessageRow> exchange = exchange(found.get());
        if (exchange.stream().anyMatch(m -> m.status().equals(MessageStatus.STREAMING.name()))) {
            throw new IllegalStateException("an answer of this exchange is still streaming");
        }
        List<Long> ids = exchange.stream().map(MessageRow::id).toList();
        messages.deleteByIds(ids);
        return ids.stream().map(MessageId::new).toList();
    }

    /** The prompt {@code message} belongs to (or is) and every answer to it, oldest first. */
    private List<MessageRow> exchange(MessageRow message) {
        List<MessageRow> pane = messages.findByPaneIdOrderByIdAsc(message.paneId());
        int at = 0;
        while (!pane.get(at).id().equals(message.id())) {
            at++;
        }
        int from = at;
        while (from > 0 && !pane.get(from).role().equals(Role.USER.name())) {
            from--;
        }
        int to = from + 1;
        while (to < pane.size() && !pane.get(to).role().equals(Role.USER.name())) {
            to++;
        }
        return pane.subList(from, to);
    }

    /**
     * Makes {@code reply} the version of its answer that the conversation follows: every other
     * answer to the same prompt is marked superseded (kept, and reachable).
     *
     * @return the answers to the same prompt, oldest first; empty if the reply is not the owner's
     */
    @Transactional
    public List<MessageId> selectVersion(UserId owner, MessageId reply) {
        Optional<MessageRow> found = messages.findOwned(reply.value(), owner.value());
        if (found.isEmpty() || !found.get().role().equals(Role.ASSISTANT.name())) {
            return List.of();
        }
        List<Long> answers = exchange(found.get()).stream()
                .filter(m -> m.role().equals(Role.ASSISTANT.name())).map(MessageRow::id).toList();
        List<Long> others = answers.stream().filter(id -> id != reply.value()).toList();
        if (!others.isEmpty()) {
            messages.markSuperseded(others, true);
        }
        messages.markSuperseded(List.of(reply.value()), false);
        return answers.stream().map(MessageId::new).toList();
    }

    /** Appends one batch of thought-summary text, like {@link #append} for the answer. */
    public void appendThought(MessageId reply, int offset, String text) {
        try {
            messages.appendThoughtChunk(reply.value(), offset, text);
        } catch (org.springframework.dao.DuplicateKeyException alreadyStored) {
            // a retried batch: stored once already
        }
        appends.increment();
    }

    /** Stores a tool call of a reply as it stands (running, done or failed); a part is replaced by its seq. */
    public void savePart(MessageId reply, ToolPart part) {
        parts.save(new PartRow(reply.value(), part.seq(), part.anchor(), "TOOL_CALL", part.name(), part.argsJson(),
                part.status().name(), part.resultJson(), truncate(part.error(), 2000)));
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
                truncate(outcome.error(), 2000), outcome.finishReason(), usage.inputTokens(), usage.outputTokens(),
                usage.thoughtTokens(), firstTokenMs, clock.instant());
        if (updated == 1) {
            toolParts.forEach(part -> savePart(reply, part));
        }
        messages.deleteChunks(reply.value());
        messages.deleteThoughtChunks(reply.value());
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
            String thinking = row.thinking() + String.join("", messages.thoughtChunks(row.id()));
            // a tool that was running when the server went away will never finish
            List<ToolPart> stale = partsByMessage(List.of(row)).getOrDefault(row.id(), List.of()).stream()
                    .map(p -> p.status().isFinal() ? p : p.failed("interrupted by a server restart"))
                    .toList();
            if (finish(id, text, thinking, stale, new Outcome(MessageStatus.INTERRUPTED, reason, null, Usage.NONE))) {
                message(id).ifPresent(ended::add);
            }
        }
        return ended;
    }

    private ChatMessage toMessage(MessageRow row) {
        return toMessages(List.of(row)).getFirst();
    }

    /** Rows to messages, with the parts of all of them read in one query. */
    private List<ChatMessage> toMessages(List<MessageRow> rows) {
        Map<Long, List<ToolPart>> partsById = partsByMessage(rows);
        List<ChatMessage> result = new ArrayList<>(rows.size());
        for (MessageRow row : rows) {
            MessageStatus status = MessageStatus.valueOf(row.status());
            boolean streaming = status == MessageStatus.STREAMING;
            String text = streaming ? row.content() + String.join("", messages.chunks(row.id())) : row.content();
            String thinking = streaming
                    ? row.thinking() + String.join("", messages.thoughtChunks(row.id()))
                    : row.thinking();
            result.add(new ChatMessage(new MessageId(row.id()), new PaneId(row.paneId()), Role.valueOf(row.role()),
                    text, status, row.model(), row.error(), row.finishReason(),
                    new Usage(row.inputTokens(), row.outputTokens(), row.thoughtTokens()),
                    row.createdAt(), row.finishedAt(), thinking, partsById.getOrDefault(row.id(), List.of()),
                    row.firstTokenMs() == null ? null : Duration.ofMillis(row.firstTokenMs()), row.superseded()));
        }
        return result;
    }

    private Map<Long, List<ToolPart>> partsByMessage(List<MessageRow> rows) {
        List<Long> replies = rows.stream().filter(r -> r.role().equals(Role.ASSISTANT.name())).map(MessageRow::id).toList();
        Map<Long, List<ToolPart>> byMessage = new HashMap<>();
        for (PartRow part : parts.partsOf(replies)) {
            byMessage.computeIfAbsent(part.messageId(), k -> new ArrayList<>()).add(new ToolPart(part.seq(),
                    part.anchor(), part.name(), part.args(), ToolPart.ToolStatus.valueOf(part.status()), part.result(),
                    part.error()));
        }
        return byMessage;
    }

    private static Conversation toConversation(PaneRow row) {
        return new Conversation(new PaneId(row.id()), row.title(), row.open(), row.titleSet(), row.createdAt());
    }

    private static Pane toPane(PaneRow row) {
        return new Pane(new PaneId(row.id()), new UserId(row.ownerId()), row.title(), row.model(), row.position(),
                row.createdAt(), row.systemInstruction(), row.temperature());
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
