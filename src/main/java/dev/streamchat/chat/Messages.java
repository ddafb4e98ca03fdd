package dev.streamchat.chat;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.streamchat.chat.internal.AttachmentRepository;
import dev.streamchat.chat.internal.ConversationRepository;
import dev.streamchat.chat.internal.MessageMapper;
import dev.streamchat.chat.internal.MessageRecord;
import dev.streamchat.chat.internal.MessageRepository;
import dev.streamchat.chat.internal.MessageTree;
import dev.streamchat.chat.internal.PartRepository;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The messages of a conversation: reading them (pages, the current path, versions,
 * search) and reshaping the conversation (a new prompt, an edited prompt, another version
 * chosen, an exchange deleted). Every method that takes an id from outside also takes its
 * owner, so another user's id finds nothing. The text of a streaming reply is written by
 * {@link ReplyWriter}.
 */
@Service
public class Messages {

	private final MessageRepository messages;

	private final ConversationRepository conversationRows;

	private final PartRepository parts;

	private final MessageTree tree;

	private final MessageMapper mapper;

	private final AttachmentRepository attachments;

	private final Clock clock = Clock.systemUTC();

	Messages(MessageRepository messages, ConversationRepository conversationRows, PartRepository parts,
			MessageTree tree, MessageMapper mapper, AttachmentRepository attachments) {
		this.messages = messages;
		this.conversationRows = conversationRows;
		this.parts = parts;
		this.tree = tree;
		this.mapper = mapper;
		this.attachments = attachments;
	}

	/** Whether the owner has this conversation, open or closed (and not deleted). */
	private boolean owns(UserId owner, ConversationId conversation) {
		return conversationRows.findByIdAndOwnerIdAndDeletedAtIsNull(conversation.value(), owner.value()).isPresent();
	}

	/**
	 * The conversation's messages, oldest first, every version included; a reply still
	 * streaming carries the text stored so far.
	 */
	public List<ChatMessage> history(UserId owner, ConversationId conversation) {
		return owns(owner, conversation) ? mapper.toMessages(messages.findByPaneIdOrderByIdAsc(conversation.value()))
				: List.of();
	}

	/**
	 * A page of the owner's conversation as it stands (the chosen version at every
	 * level): the {@code limit} messages before {@code before} (null: the latest), oldest
	 * first. A long conversation opens with its latest page and loads older ones as the
	 * user scrolls up, so opening it costs the same however long it is.
	 */
	public List<ChatMessage> page(UserId owner, ConversationId conversation, @Nullable MessageId before, int limit) {
		if (!owns(owner, conversation)) {
			return List.of();
		}
		List<MessageRecord> newestFirst = messages.pageBefore(conversation.value(),
				before == null ? Long.MAX_VALUE : before.value(), limit);
		return mapper.toMessages(newestFirst.reversed());
	}

	/**
	 * The owner's conversation as it stands, oldest first: the chosen version of every
	 * prompt and answer.
	 */
	public List<ChatMessage> currentPath(UserId owner, ConversationId conversation) {
		return mapper.toMessages(messages.currentPathOwnedBy(conversation.value(), owner.value()));
	}

	/**
	 * Where each of {@code shown} (messages of one of the owner's conversations) stands
	 * among its versions, for those that have more than one; one or two queries for a
	 * whole page.
	 */
	public Map<MessageId, Versions> versions(UserId owner, ConversationId conversation, List<ChatMessage> shown) {
		if (shown.isEmpty() || !owns(owner, conversation)) {
			return Map.of();
		}
		Map<Long, Long> parentOf = new HashMap<>();
		for (MessageTree.Link link : tree.linksOf(shown.stream().map(m -> m.id().value()).toList())) {
			parentOf.put(link.id(), link.parentKey());
		}
		Map<Long, List<Long>> siblings = tree.childrenOf(conversation.value(), new HashSet<>(parentOf.values()));
		Map<MessageId, Versions> result = new HashMap<>();
		for (ChatMessage message : shown) {
			List<Long> all = siblings.getOrDefault(parentOf.get(message.id().value()), List.of());
			int at = all.indexOf(message.id().value());
			if (all.size() > 1 && at >= 0) {
				result.put(message.id(),
						new Versions(at + 1, all.size(), at > 0 ? new MessageId(all.get(at - 1)) : null,
								at < all.size() - 1 ? new MessageId(all.get(at + 1)) : null));
			}
		}
		return result;
	}

	/**
	 * Whether a reply of the owner's conversation is stored as streaming (on this node or
	 * another); reads no text. False for anyone else's conversation.
	 */
	public boolean hasStreamingReply(UserId owner, ConversationId conversation) {
		return messages.existsStreamingOwned(conversation.value(), owner.value());
	}

	/**
	 * One of the owner's messages; empty for another user's id, as for one that does not
	 * exist.
	 */
	public Optional<ChatMessage> message(UserId owner, MessageId id) {
		return messages.findOwned(id.value(), owner.value()).map(mapper::toMessage);
	}

	/**
	 * A message by an id that came from this app's own storage or from another node (a
	 * broadcast), never from a user: there is no owner to check it against.
	 */
	public Optional<ChatMessage> stored(MessageId id) {
		return messages.findById(id.value()).map(mapper::toMessage);
	}

	/**
	 * Everything stored of a reply: its own text plus the batches of a reply still
	 * streaming.
	 */
	public String storedText(MessageId reply) {
		return messages.findById(reply.value()).map(mapper::storedText).orElse("");
	}

	/**
	 * The owner's messages in conversations other than {@code excludePane} (null: all)
	 * containing {@code query} (case-insensitive), newest first, each with an excerpt
	 * around the match.
	 */
	public List<SearchHit> search(UserId owner, String query, @Nullable ConversationId excludeConversation, int limit) {
		String needle = query.strip();
		if (needle.isEmpty()) {
			return List.of();
		}
		return parts
			.search(owner.value(), needle, excludeConversation == null ? -1 : excludeConversation.value(), limit)
			.stream()
			.map(hit -> new SearchHit(new ConversationId(hit.paneId()), hit.title(), new MessageId(hit.id()),
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

	/**
	 * How many replies of the owner's stream now, on any node (a per-user limit counts
	 * them).
	 */
	public int streamingReplies(UserId owner) {
		return messages.countStreamingOf(owner.value());
	}

	/**
	 * Adds a prompt at the end of the owner's conversation as it stands.
	 * @throws IllegalArgumentException when the conversation is not the owner's (or is
	 * deleted); nothing is stored then
	 */
	@Transactional
	public ChatMessage addUserMessage(UserId owner, ConversationId conversation, String text) {
		return addUserMessage(owner, conversation, text, List.of());
	}

	/**
	 * Adds a prompt with its files at the end of the owner's conversation as it stands:
	 * the prompt and every file are stored together or not at all.
	 * @throws IllegalArgumentException when the conversation is not the owner's (or is
	 * deleted); nothing is stored then
	 */
	@Transactional
	public ChatMessage addUserMessage(UserId owner, ConversationId conversation, String text,
			List<NewAttachment> files) {
		if (!owns(owner, conversation)) {
			throw new IllegalArgumentException("no such conversation of the user's: " + conversation.value());
		}
		ChatMessage prompt = addUserMessage(conversation, text, tree.tail(conversation.value()));
		if (files.isEmpty()) {
			return prompt;
		}
		attachments.insert(prompt.id().value(), files, prompt.createdAt());
		return mapper.toMessage(messages.findById(prompt.id().value()).orElseThrow());
	}

	private ChatMessage addUserMessage(ConversationId conversation, String text, @Nullable Long parent) {
		Instant now = clock.instant();
		return mapper.toMessage(messages
			.save(new MessageRecord(null, conversation.value(), Role.USER.name(), text, MessageStatus.COMPLETE.name(),
					null, null, null, 0, 0, 0, now, now, null, "", null, false, parent, false, "", null, 0, null)));
	}

	/**
	 * Stores an edited prompt as a new version of {@code prompt} and makes it the
	 * conversation: the earlier prompt and everything after it stay, as the version the
	 * user can switch back to.
	 */
	@Transactional
	public ChatMessage addPromptVersion(ChatMessage prompt, String text) {
		Long parent = messages.findById(prompt.id().value()).map(MessageRecord::parentId).orElse(null);
		ChatMessage version = addUserMessage(prompt.conversationId(), text, parent);
		// the edited prompt keeps the earlier version's files
		attachments.copy(prompt.id().value(), version.id().value(), version.createdAt());
		tree.choose(version.conversationId().value(), version.id().value());
		return stored(version.id()).orElseThrow();
	}

	/**
	 * Makes {@code version} the version of its prompt or answer that the conversation
	 * follows; the others stay, reachable, with whatever followed each of them.
	 * @return false if there is no such message of the owner's
	 */
	@Transactional
	public boolean chooseVersion(UserId owner, MessageId version) {
		Optional<MessageRecord> found = messages.findOwned(version.value(), owner.value());
		found.ifPresent(row -> tree.choose(row.paneId(), version.value()));
		return found.isPresent();
	}

	/**
	 * Deletes one exchange of the owner's: the prompt {@code anyOf} belongs to (or is),
	 * with its other versions and every answer to them. What followed the chosen answer
	 * is kept and now follows what came before the prompt (see
	 * {@link MessageTree#exchange}). Parts and batches go with their messages (cascade).
	 * @return the deleted messages, oldest first; empty if there is no such message of
	 * the owner's
	 * @throws IllegalStateException when an answer of the exchange is still streaming
	 */
	@Transactional
	public List<MessageId> deleteExchange(UserId owner, MessageId anyOf) {
		Optional<MessageRecord> found = messages.findOwned(anyOf.value(), owner.value());
		if (found.isEmpty()) {
			return List.of();
		}
		long conversationId = found.get().paneId();
		MessageTree.Exchange exchange = tree.exchange(conversationId, anyOf.value());
		if (exchange.streaming()) {
			throw new IllegalStateException("an answer of this exchange is still streaming");
		}
		tree.setParent(exchange.kept(), exchange.keptParent());
		messages.deleteByIds(exchange.doomed());
		tree.storePath(conversationId);
		return exchange.doomed().stream().map(MessageId::new).toList();
	}

}
