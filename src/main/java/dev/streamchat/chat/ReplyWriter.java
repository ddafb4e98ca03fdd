package dev.streamchat.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import dev.streamchat.chat.internal.BatchText;
import dev.streamchat.chat.internal.MessageMapper;
import dev.streamchat.chat.internal.MessageRecord;
import dev.streamchat.chat.internal.MessageRepository;
import dev.streamchat.chat.internal.MessageTree;
import dev.streamchat.chat.internal.PartRepository;
import dev.streamchat.chat.internal.PartRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The write path of a streaming reply: {@link #startReply} → {@link #append} (and
 * {@link #appendThought}) per batch → {@link #finish}; nothing on it reads the reply's
 * text back. The replies that nobody will finish any more (a restart, a dead node) are
 * {@link OrphanedReplies}'. Its callers are the streaming module's, with ids they created
 * or checked.
 */
@Service
public class ReplyWriter {

	private final MessageRepository messages;

	/** Batches stored deflated: on PostgreSQL ({@link BatchText#packsOn}). */
	private final boolean packBatches;

	private final PartRepository parts;

	private final MessageTree tree;

	private final MessageMapper mapper;

	private final Clock clock = Clock.systemUTC();

	private final Counter appends;

	ReplyWriter(MessageRepository messages, PartRepository parts, MessageTree tree, MessageMapper mapper,
			MeterRegistry meters, DataSource database) {
		this.messages = messages;
		this.packBatches = BatchText.packsOn(database);
		this.parts = parts;
		this.tree = tree;
		this.mapper = mapper;
		this.appends = Counter.builder("chat.store.appends")
			.description("Batches of streamed text appended to storage")
			.register(meters);
	}

	/**
	 * Creates the reply's row, empty and streaming, while the model is asked: the request
	 * goes out first and its first token waits for this row (streaming's
	 * {@code ReplyStarts}).
	 */
	@Transactional
	public ChatMessage startReply(ConversationId conversation, String model) {
		return startReply(conversation, model, null);
	}

	/**
	 * Creates the reply's row, empty and streaming, at the end of the conversation,
	 * recording the node that generates it, so that another node can end it if that node
	 * dies (see {@link OrphanedReplies#interruptRepliesNotOn}).
	 */
	@Transactional
	public ChatMessage startReply(ConversationId conversation, String model, @Nullable String node) {
		return startReply(conversation, model, node, 0);
	}

	/**
	 * {@link #startReply(ConversationId, String, String)}, recording that the request for
	 * it leaves out the conversation's {@code contextDropped} oldest messages (they would
	 * not fit the model's context).
	 * @throws ReplyStreamingException when a reply of the conversation is streaming
	 * already (on any node)
	 */
	@Transactional
	public ChatMessage startReply(ConversationId conversation, String model, @Nullable String node,
			int contextDropped) {
		return startReply(conversation, model, node, tree.tail(conversation.value()), contextDropped);
	}

	/**
	 * Creates a new answer to {@code prompt}, empty and streaming, as a new version
	 * beside the earlier answers, and makes it the conversation.
	 */
	@Transactional
	public ChatMessage startAnswerVersion(ChatMessage prompt, String model, @Nullable String node) {
		return startAnswerVersion(prompt, model, node, 0);
	}

	/**
	 * {@link #startAnswerVersion(ChatMessage, String, String)} with the messages left out
	 * of its request.
	 */
	@Transactional
	public ChatMessage startAnswerVersion(ChatMessage prompt, String model, @Nullable String node, int contextDropped) {
		ChatMessage reply = startReply(prompt.conversationId(), model, node, prompt.id().value(), contextDropped);
		tree.choose(reply.conversationId().value(), reply.id().value());
		return messages.findById(reply.id().value()).map(mapper::toMessage).orElseThrow();
	}

	/**
	 * The row names its conversation in {@code streaming_pane} until it ends, and a
	 * unique index allows that once: a second streaming reply of the conversation is
	 * refused by the database, whichever node starts it (V11). On PostgreSQL the refusal
	 * spoils the caller's transaction, which is then rolled back whole.
	 */
	private ChatMessage startReply(ConversationId conversation, String model, @Nullable String node,
			@Nullable Long parent, int contextDropped) {
		try {
			return mapper.toMessage(messages.save(new MessageRecord(null, conversation.value(), Role.ASSISTANT.name(),
					"", MessageStatus.STREAMING.name(), model, null, null, 0, 0, 0, clock.instant(), null, node, "",
					null, false, parent, false, "", conversation.value(), contextDropped, null)));
		}
		catch (DuplicateKeyException streaming) {
			throw new ReplyStreamingException(conversation);
		}
	}

	/**
	 * Appends one batch that starts at {@code offset} (UTF-16 units) of the reply: a
	 * single insert. Repeating a batch that was already stored (its acknowledgement got
	 * lost) changes nothing. A batch holds whole characters: it never begins or ends
	 * between the halves of a surrogate pair.
	 */
	public void append(MessageId reply, int offset, String text) {
		requireWholeCharacters(text);
		try {
			byte[] packed = packed(text);
			messages.appendChunk(reply.value(), offset, BatchText.content(text, packed), packed);
		}
		catch (DuplicateKeyException alreadyStored) {
			// a retry of a batch whose first attempt committed: the text is there once,
			// as it should be
		}
		appends.increment();
	}

	/**
	 * The batch deflated for its row, on a database where that saves writes
	 * ({@link BatchText}).
	 */
	private byte[] packed(String text) {
		return packBatches ? BatchText.pack(text) : BatchText.NOT_PACKED;
	}

	private static void requireWholeCharacters(String text) {
		if (!text.isEmpty() && (Character.isLowSurrogate(text.charAt(0))
				|| Character.isHighSurrogate(text.charAt(text.length() - 1)))) {
			// refused on every database alike: PostgreSQL cannot store half a character
			throw new IllegalArgumentException("a batch must not begin or end inside a surrogate pair");
		}
	}

	/** Appends one batch of thought-summary text, like {@link #append} for the answer. */
	public void appendThought(MessageId reply, int offset, String text) {
		try {
			messages.appendThoughtChunk(reply.value(), offset, text);
		}
		catch (DuplicateKeyException alreadyStored) {
			// a retried batch: stored once already
		}
		appends.increment();
	}

	/**
	 * {@link #append} by the node generating the reply ({@code node}), fenced: refused,
	 * and false, once another node has claimed the reply (this node was paused past its
	 * lease and taken for dead) or it has ended. Without the fence a late batch of the
	 * old node would land at the offset where the new node goes on and shadow its text.
	 * One statement per batch: the insert locks the reply's row while it checks the node,
	 * so a concurrent claim waits for it, or it for the claim and is then refused. Only
	 * when it inserts nothing does a second statement tell a refusal from a batch stored
	 * before (a retry whose acknowledgement got lost).
	 */
	public boolean append(MessageId reply, String node, int offset, String text) {
		requireWholeCharacters(text);
		byte[] packed = packed(text);
		return fenced(reply, node,
				() -> messages.appendChunkOn(reply.value(), node, offset, BatchText.content(text, packed), packed));
	}

	/**
	 * {@link #appendThought}, fenced as {@link #append(MessageId, String, int, String)}.
	 */
	public boolean appendThought(MessageId reply, String node, int offset, String text) {
		return fenced(reply, node, () -> messages.appendThoughtChunkOn(reply.value(), node, offset, text));
	}

	private boolean fenced(MessageId reply, String node, IntSupplier insert) {
		int inserted;
		try {
			inserted = insert.getAsInt();
		}
		catch (DuplicateKeyException alreadyStored) {
			inserted = 0;
		}
		boolean stored = inserted == 1 || !messages.lockStreamingOn(reply.value(), node).isEmpty();
		if (stored) {
			appends.increment();
		}
		return stored;
	}

	/**
	 * Stores a tool call of a reply as it stands (running, done or failed); a part is
	 * replaced by its seq.
	 */
	public void savePart(MessageId reply, ToolPart part) {
		parts.save(new PartRow(reply.value(), part.seq(), part.anchor(), "TOOL_CALL", part.name(), part.argsJson(),
				part.status().name(), part.resultJson(), ConversationStore.truncateOrNull(part.error(), 2000)));
	}

	/**
	 * Stores the web sources of a reply as they stand (one statement; they come once or
	 * twice per answer, not per token), before they are published, so another node can
	 * read them.
	 */
	public void saveGrounding(MessageId reply, Grounding grounding) {
		messages.saveGrounding(reply.value(), mapper.groundingJson(grounding));
	}

	public boolean finish(MessageId reply, String text, Outcome outcome) {
		return finish(reply, text, "", List.of(), outcome);
	}

	/**
	 * Ends a reply: its complete text, thinking, parts and outcome go into its own rows
	 * and the batches are dropped. Returns false if the reply had already ended.
	 */
	@Transactional
	public boolean finish(MessageId reply, String text, String thinking, List<ToolPart> toolParts, Outcome outcome) {
		boolean ended = end(reply, text, thinking, toolParts, outcome,
				(row, ending) -> messages.finish(row, ending.content(), ending.thinking(), ending.status(),
						ending.error(), ending.finishReason(), ending.inputTokens(), ending.outputTokens(),
						ending.thoughtTokens(), ending.firstTokenMs(), ending.finishedAt()));
		if (!ended) {
			// ended already: nothing reads an ended reply's batches, so any left are
			// dropped all the same (as this method always did)
			messages.deleteChunks(reply.value());
			messages.deleteThoughtChunks(reply.value());
		}
		return ended;
	}

	/**
	 * {@link #finish} by the node generating the reply ({@code node}): refused, and
	 * false, when the reply has ended or another node has taken it over meanwhile (this
	 * node was taken for dead).
	 */
	@Transactional
	public boolean finish(MessageId reply, String node, String text, String thinking, List<ToolPart> toolParts,
			Outcome outcome) {
		return end(reply, text, thinking, toolParts, outcome,
				(row, ending) -> messages.finishOn(row, node, ending.content(), ending.thinking(), ending.status(),
						ending.error(), ending.finishReason(), ending.inputTokens(), ending.outputTokens(),
						ending.thoughtTokens(), ending.firstTokenMs(), ending.finishedAt()));
	}

	/** A reply's final row values, mapped once from what its generation ended with. */
	private record Ending(String content, String thinking, String status, @Nullable String error,
			@Nullable String finishReason, int inputTokens, int outputTokens, int thoughtTokens,
			@Nullable Integer firstTokenMs, Instant finishedAt) {
	}

	/** The one guarded update that ends a reply ({@code finish} or {@code finishOn}). */
	private interface EndStatement {

		int update(long reply, Ending ending);

	}

	/**
	 * Ends a reply with {@code statement}; when it ended here, stores its tool calls and
	 * drops its batches.
	 */
	private boolean end(MessageId reply, String text, String thinking, List<ToolPart> toolParts, Outcome outcome,
			EndStatement statement) {
		Usage usage = outcome.usage();
		Duration firstToken = outcome.firstToken();
		Ending ending = new Ending(text, thinking, outcome.status().name(),
				ConversationStore.truncateOrNull(outcome.error(), 2000), outcome.finishReason(), usage.inputTokens(),
				usage.outputTokens(), usage.thoughtTokens(), firstToken == null ? null : (int) firstToken.toMillis(),
				clock.instant());
		boolean ended = statement.update(reply.value(), ending) == 1;
		if (ended) {
			toolParts.forEach(part -> savePart(reply, part));
			messages.deleteChunks(reply.value());
			messages.deleteThoughtChunks(reply.value());
		}
		return ended;
	}

	/**
	 * A draining node lets go of a reply it could not finish in time: its text and
	 * thinking are stored already (batches), its tool calls and what only the node knows
	 * (tokens so far, time to the first token) are stored now, and it belongs to no node,
	 * so that a surviving node takes it up ({@link OrphanedReplies#orphansNotOn}). False
	 * if it had ended or was not this node's any more.
	 */
	@Transactional
	public boolean release(MessageId reply, String node, List<ToolPart> toolParts, Usage usage,
			@Nullable Duration firstToken) {
		toolParts.forEach(part -> savePart(reply, part));
		return messages.release(reply.value(), node, usage.inputTokens(), usage.outputTokens(), usage.thoughtTokens(),
				firstToken == null ? null : (int) firstToken.toMillis()) == 1;
	}

}
