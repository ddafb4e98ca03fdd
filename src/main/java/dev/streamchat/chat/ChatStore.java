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
import dev.streamchat.chat.internal.MessageTree;
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
    private final MessageTree tree;
    private final NodeRegistry nodes;
    private final Clock clock;
    private final Counter appends;

    ChatStore(PaneRepository panes, MessageRepository messages, PartRepository parts, MessageTree tree,
              NodeRegistry nodes, MeterRegistry meters) {
        this.panes = panes;
        this.tree = tree;
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

    /**
     * The pane's messages, oldest first, every version included; a reply still streaming carries
     * the text stored so far.
     */
    public List<ChatMessage> history(UserId owner, PaneId pane) {
        return pane(owner, pane).isEmpty() ? List.of() : history(pane);
    }

    /**
     * A page of the owner's conversation as it stands (the chosen version at every level): the
     * {@code limit} messages before {@code before} (null: the latest), oldest first. A long
     * conversation opens with its latest page and loads older ones as the user scrolls up, so
     * opening it costs the same however long it is.
     */
    public List<ChatMessage> page(UserId owner, PaneId pane, MessageId before, int limit) {
        if (pane(owner, pane).isEmpty()) {
            return List.of();
        }
        List<MessageRow> newestFirst = messages.pageBefore(pane.value(),
                before == null ? Long.MAX_VALUE : before.value(), limit);
        return toMessages(newestFirst.reversed());
    }

    /** The pane's messages, every version included, for callers that already checked whose pane it is. */
    public List<ChatMessage> history(PaneId pane) {
        return toMessages(messages.findByPaneIdOrderByIdAsc(pane.value()));
    }

    /** The conversation as it stands, oldest first: the chosen version of every prompt and answer. */
    public List<ChatMessage> currentPath(PaneId pane) {
        return toMessages(messages.findByPaneIdAndSupersededFalseOrderByIdAsc(pane.value()));
    }

    /**
     * Where each of {@code shown} (messages of one pane) stands among its versions, for those that
     * have more than one; one or two queries for a whole page.
     */
    public Map<MessageId, Versions> versions(PaneId pane, List<ChatMessage> shown) {
        if (shown.isEmpty()) {
            return Map.of();
        }
        Map<Long, Long> parentOf = new HashMap<>();
        for (MessageTree.Link link : tree.linksOf(shown.stream().map(m -> m.id().value()).toList())) {
            parentOf.put(link.id(), link.parentKey());
        }
        Map<Long, List<Long>> siblings = tree.childrenOf(pane.value(), new java.util.HashSet<>(parentOf.values()));
        Map<MessageId, Versions> result = new HashMap<>();
        for (ChatMessage message : shown) {
            List<Long> all = siblings.getOrDefault(parentOf.get(message.id().value()), List.of());
            int at = all.indexOf(message.id().value());
            if (all.size() > 1 && at >= 0) {
                result.put(message.id(), new Versions(at + 1, all.size(),
                        at > 0 ? new MessageId(all.get(at - 1)) : null,
                        at < all.size() - 1 ? new MessageId(all.get(at + 1)) : null));
            }
        }
        return result;
    }

    /** Whether a reply of the pane is stored as streaming (on this node or another); reads no text. */
    public boolean hasStreamingReply(PaneId pane) {
        return messages.existsByPaneIdAndStatus(pane.value(), MessageStatus.STREAMING.name());
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

    /** Adds a prompt at the end of the conversation as it stands. */
    @Transactional
    public ChatMessage addUserMessage(PaneId pane, String text) {
        return addUserMessage(pane, text, tree.tail(pane.value()));
    }

    private ChatMessage addUserMessage(PaneId pane, String text, Long parent) {
        Instant now = clock.instant();
        return toMessage(messages.save(new MessageRow(null, pane.value(), Role.USER.name(), text,
                MessageStatus.COMPLETE.name(), null, null, null, 0, 0, 0, now, now, null, "", null, false, parent,
                false)));
    }

    /**
     * Stores an edited prompt as a new version of {@code prompt} and makes it the conversation: the
     * earlier prompt and everything after it stay, as the version the user can switch back to.
     */
    @Transactional
    public ChatMessage addPromptVersion(ChatMessage prompt, String text) {
        Long parent = messages.findById(prompt.id().value()).map(MessageRow::parentId).orElse(null);
        ChatMessage version = addUserMessage(prompt.paneId(), text, parent);
        choose(version.paneId(), version.id());
        return message(version.id()).orElseThrow();
    }

    /**
     * Creates a new answer to {@code prompt}, empty and streaming, as a new version beside the
     * earlier answers, and makes it the conversation.
     */
    @Transactional
    public ChatMessage startAnswerVersion(ChatMessage prompt, String model, String node) {
        ChatMessage reply = startReply(prompt.paneId(), model, node, prompt.id().value());
        choose(reply.paneId(), reply.id());
        return message(reply.id()).orElseThrow();
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
        return startReply(pane, model, node, tree.tail(pane.value()));
    }

    private ChatMessage startReply(PaneId pane, String model, String node, Long parent) {
        return toMessage(messages.save(new MessageRow(null, pane.value(), Role.ASSISTANT.name(), "",
                MessageStatus.STREAMING.name(), model, null, null, 0, 0, 0, clock.instant(), null, node, "", null,
                false, parent, false)));
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
     * Deletes one exchange of the owner's: the prompt {@code anyOf} belongs to (or is), with its
     * other versions and every answer to them. What followed the chosen answer is kept and now
     * follows what came before the prompt; the branches that started at the prompt's other
     * versions or answers go with it. Parts and batches go with their messages (cascade).
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
        long paneId = found.get().paneId();
        List<MessageTree.Link> links = tree.links(paneId);
        Map<Long, MessageTree.Link> byId = new HashMap<>();
        Map<Long, List<MessageTree.Link>> children = new HashMap<>();
        for (MessageTree.Link link : links) {
            byId.put(link.id(), link);
            children.computeIfAbsent(link.parentKey(), k -> new ArrayList<>()).add(link);
        }
        MessageTree.Link target = byId.get(anyOf.value());
        MessageTree.Link prompt = target.role().equals(Role.USER.name()) || target.parentId() == null
                ? target : byId.get(target.parentId());
        List<MessageTree.Link> versions = children.getOrDefault(prompt.parentKey(), List.of()).stream()
                .filter(version -> version.role().equals(prompt.role())).toList();
        // what the chosen answer to the chosen version led to stays in the conversation
        List<Long> kept = versions.stream().filter(version -> !version.replaced()).findFirst()
                .flatMap(version -> children.getOrDefault(version.id(), List.of()).stream()
                        .filter(answer -> !answer.replaced()).findFirst())
                .map(answer -> children.getOrDefault(answer.id(), List.of()).stream().map(MessageTree.Link::id).toList())
                .orElse(List.of());
        java.util.Set<Long> doomed = new java.util.TreeSet<>();
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>();
        versions.forEach(version -> todo.add(version.id()));
        while (!todo.isEmpty()) {
            long id = todo.pop();
            if (!kept.contains(id) && doomed.add(id)) {
                children.getOrDefault(id, List.of()).forEach(child -> todo.add(child.id()));
            }
        }
        if (doomed.stream().anyMatch(id -> byId.get(id).status().equals(MessageStatus.STREAMING.name()))) {
            throw new IllegalStateException("an answer of this exchange is still streaming");
        }
        tree.setParent(kept, prompt.parentId());
        messages.deleteByIds(doomed);
        tree.storePath(paneId);
        return doomed.stream().map(MessageId::new).toList();
    }

    /**
     * Makes {@code version} the version of its prompt or answer that the conversation follows; the
     * others stay, reachable, with whatever followed each of them.
     *
     * @return false if there is no such message of the owner's
     */
    @Transactional
    public boolean chooseVersion(UserId owner, MessageId version) {
        Optional<MessageRow> found = messages.findOwned(version.value(), owner.value());
        found.ifPresent(row -> choose(new PaneId(row.paneId()), version));
        return found.isPresent();
    }

    private void choose(PaneId pane, MessageId version) {
        MessageTree.Link chosen = tree.linksOf(List.of(version.value())).getFirst();
        List<Long> siblings = tree.childrenOf(pane.value(), List.of(chosen.parentKey()))
                .getOrDefault(chosen.parentKey(), List.of());
        tree.setReplaced(siblings.stream().filter(id -> id != version.value()).toList(), true);
        tree.setReplaced(List.of(version.value()), false);
        tree.storePath(pane.value());
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
