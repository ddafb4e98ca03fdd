package dev.streamchat.chat;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.streamchat.chat.internal.ConversationRepository;
import dev.streamchat.chat.internal.ConversationRow;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The user's conversations as stored (a pane in the UI shows one): which are open and
 * where, their model, settings and title, and the side list of all of them. Every method
 * that takes a conversation id from outside also takes its owner: another user's id finds
 * nothing, exactly as an id that does not exist. Telling other tabs is the callers'
 * business (the history module's {@code Conversations}).
 */
@Service
public class ConversationStore {

	/**
	 * New conversations are called "Chat 3" until renamed or titled from their first
	 * exchange.
	 */
	public static final String DEFAULT_TITLE_PREFIX = "Chat ";

	/** Longest title kept (the column holds 200). */
	public static final int MAX_TITLE = 100;

	private final ConversationRepository conversationRows;

	private final Clock clock = Clock.systemUTC();

	ConversationStore(ConversationRepository conversationRows) {
		this.conversationRows = conversationRows;
	}

	public List<Conversation> openConversations(UserId owner) {
		return conversationRows.findByOwnerIdAndOpenTrueAndDeletedAtIsNullOrderByPositionAscIdAsc(owner.value())
			.stream()
			.map(ConversationStore::toConversation)
			.toList();
	}

	/** How many conversations the owner keeps (open or closed, not deleted). */
	public int conversationCount(UserId owner) {
		return conversationRows.countByOwnerIdAndDeletedAtIsNull(owner.value());
	}

	/**
	 * The owner's conversation if it is open as a pane (and not deleted); what may be
	 * shown and sent to by.
	 */
	public Optional<Conversation> openConversation(UserId owner, ConversationId id) {
		return owned(owner, id).filter(ConversationRow::open).map(ConversationStore::toConversation);
	}

	/** The owner's conversation with its settings, open or closed (not deleted). */
	public Optional<Conversation> openOrClosed(UserId owner, ConversationId id) {
		return owned(owner, id).map(ConversationStore::toConversation);
	}

	private Optional<ConversationRow> owned(UserId owner, ConversationId id) {
		return conversationRows.findByIdAndOwnerIdAndDeletedAtIsNull(id.value(), owner.value());
	}

	@Transactional
	public Conversation create(UserId owner, String model) {
		int position = conversationRows.maxPosition(owner.value()) + 1;
		return toConversation(
				conversationRows.save(new ConversationRow(null, owner.value(), DEFAULT_TITLE_PREFIX + position, model,
						position, true, clock.instant(), null, null, false, null, false)));
	}

	/**
	 * @return whether the owner has such a conversation (and it changed)
	 */
	@Transactional
	public boolean changeModel(UserId owner, ConversationId id, String model) {
		return conversationRows.updateModel(id.value(), owner.value(), model) == 1;
	}

	/**
	 * Remembers how the conversation is continued: system instruction (blank: none) and
	 * temperature.
	 * @return whether the owner has such a conversation
	 */
	@Transactional
	public boolean changeSettings(UserId owner, ConversationId id, @Nullable String systemInstruction,
			@Nullable Double temperature) {
		String instruction = systemInstruction == null || systemInstruction.isBlank() ? null : systemInstruction;
		return conversationRows.updateSettings(id.value(), owner.value(), instruction, temperature) == 1;
	}

	/**
	 * Remembers whether the conversation searches the web ("Search the web").
	 * @return whether the owner has such a conversation (and it changed)
	 */
	@Transactional
	public boolean changeWebSearch(UserId owner, ConversationId id, boolean on) {
		return conversationRows.updateWebSearch(id.value(), owner.value(), on) == 1;
	}

	/** Closes a conversation's pane; the conversation stays stored. */
	@Transactional
	public void close(UserId owner, ConversationId id) {
		owned(owner, id)
			.ifPresent(row -> conversationRows.updateOpen(row.storedId(), row.ownerId(), false, row.position()));
	}

	/**
	 * The owner's conversations, open or closed, the one with the latest message first.
	 */
	public List<ConversationSummary> conversations(UserId owner) {
		return conversationRows.findConversations(owner.value()).stream().map(ConversationStore::toSummary).toList();
	}

	/**
	 * One of the owner's conversations, open or closed; empty if deleted or not the
	 * owner's.
	 */
	public Optional<ConversationSummary> conversation(UserId owner, ConversationId id) {
		return owned(owner, id).map(ConversationStore::toSummary);
	}

	/**
	 * Opens a closed conversation as the last pane; an open one stays where it is.
	 * @return the conversation; empty if there is no such conversation of the owner's
	 */
	@Transactional
	public Optional<Conversation> open(UserId owner, ConversationId id) {
		Optional<ConversationRow> row = owned(owner, id);
		if (row.isPresent() && !row.get().open()) {
			conversationRows.updateOpen(id.value(), owner.value(), true,
					conversationRows.maxPosition(owner.value()) + 1);
		}
		return row.isEmpty() ? Optional.empty() : openConversation(owner, id);
	}

	/**
	 * Gives a conversation the user's title, which no automatic title replaces.
	 * @return the title as stored (stripped, shortened); empty if there is no such
	 * conversation or it is blank
	 */
	@Transactional
	public Optional<String> rename(UserId owner, ConversationId id, String title) {
		String clean = title == null ? "" : title.strip().replaceAll("\\s+", " ");
		if (clean.isEmpty()) {
			return Optional.empty();
		}
		String stored = truncate(clean, MAX_TITLE);
		return conversationRows.rename(id.value(), owner.value(), stored) == 1 ? Optional.of(stored) : Optional.empty();
	}

	/**
	 * Titles a conversation of the owner's automatically, unless it has a title already
	 * (the user's, or an earlier automatic one), so a rename is never overwritten,
	 * however the two race.
	 * @return whether this title was stored
	 */
	@Transactional
	public boolean titleIfUntitled(UserId owner, ConversationId id, String title) {
		return conversationRows.setTitleIfUnset(id.value(), owner.value(), truncate(title.strip(), MAX_TITLE)) == 1;
	}

	/**
	 * Deletes a conversation of the owner's so that it can be undone ({@link #restore}):
	 * from now on it is found nowhere, not in the side list, as a pane or by a search.
	 * @return false if there is no such conversation (or it is deleted already)
	 */
	@Transactional
	public boolean delete(UserId owner, ConversationId id) {
		return conversationRows.markDeleted(id.value(), owner.value(), clock.instant()) == 1;
	}

	/** Undoes {@link #delete}: the conversation is back as it was, open or closed. */
	@Transactional
	public Optional<ConversationSummary> restore(UserId owner, ConversationId id) {
		conversationRows.unmarkDeleted(id.value(), owner.value());
		return conversation(owner, id);
	}

	private static ConversationSummary toSummary(ConversationRow row) {
		return new ConversationSummary(new ConversationId(row.storedId()), row.title(), row.open(), row.titleSet(),
				row.createdAt());
	}

	private static Conversation toConversation(ConversationRow row) {
		return new Conversation(new ConversationId(row.storedId()), new UserId(row.ownerId()), row.title(), row.model(),
				row.position(), row.createdAt(), row.systemInstruction(), row.temperature(), row.webSearch());
	}

	static String truncate(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max - 1) + "…";
	}

	static @Nullable String truncateOrNull(@Nullable String text, int max) {
		return text == null ? null : truncate(text, max);
	}

}
