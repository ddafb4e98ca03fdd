package dev.streamchat.history;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.ConversationSummary;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.SearchHit;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.history.ConversationEvent.Change;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.StreamingService;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A user's conversations as the side list and the panes handle them: new, open, close,
 * rename (and the automatic title), model and settings, delete and undo, search, export.
 * Every change is told to the user's other tabs ({@link ConversationEvents}), so each of
 * them shows it without a reload. Every method takes the owner: another user's
 * conversation behaves as one that does not exist.
 */
@Service
public class Conversations {

	private final ConversationStore store;

	private final Messages messages;

	private final StreamingService streaming;

	private final ModelCatalog catalog;

	private final ConversationEvents events;

	private final HistoryProperties properties;

	private final UserAccounts accounts;

	private final TransactionTemplate transactions;

	Conversations(ConversationStore store, Messages messages, StreamingService streaming, ModelCatalog catalog,
			ConversationEvents events, HistoryProperties properties, UserAccounts accounts,
			TransactionTemplate transactions) {
		this.properties = properties;
		this.accounts = accounts;
		this.transactions = transactions;
		this.store = store;
		this.messages = messages;
		this.streaming = streaming;
		this.catalog = catalog;
		this.events = events;
	}

	/** The user's conversations, the one with the latest message first. */
	public List<ConversationSummary> list(UserId owner) {
		return store.conversations(owner);
	}

	/**
	 * A new, empty conversation, open as the last pane.
	 * @throws ConversationLimitException when the user has as many panes open, or
	 * conversations kept, as allowed
	 */
	public Conversation create(UserId owner) {
		Conversation conversation = capped(owner, () -> {
			checkOpenConversations(owner);
			checkConversations(owner);
			return store.create(owner, catalog.defaultModel());
		});
		publish(owner, conversation.id(), Change.CREATED, null);
		return conversation;
	}

	/**
	 * Counts and adds in one transaction that holds the owner's account row locked, so
	 * that two tabs or nodes opening panes at once count each other's and a cap cannot be
	 * passed by one (count, then insert, let both see room for one more).
	 */
	private <T> T capped(UserId owner, Supplier<T> countThenAdd) {
		T result = transactions.execute(tx -> {
			// the lock is what matters here; a disabled account's panes are refused
			// where it sends
			accounts.lockEnabled(owner);
			return countThenAdd.get();
		});
		return Objects.requireNonNull(result);
	}

	/**
	 * Panes are followed live in every tab, each at a cost: a user may have only so many
	 * open (chat.history.max-open-panes).
	 */
	private void checkConversations(UserId owner) {
		if (store.conversationCount(owner) >= properties.maxConversations()) {
			throw new ConversationLimitException(String.format(Locale.ENGLISH,
					"You have %,d conversations, the most one account may keep: delete some first.",
					properties.maxConversations()));
		}
	}

	private void checkOpenConversations(UserId owner) {
		if (store.openConversations(owner).size() >= properties.maxOpenPanes()) {
			throw new ConversationLimitException(
					"%d panes are open, the most allowed: close one first.".formatted(properties.maxOpenPanes()));
		}
	}

	/**
	 * Opens a conversation as the last pane (an open one stays where it is); empty if
	 * there is no such conversation.
	 * @throws ConversationLimitException when it is closed and the user has as many panes
	 * open as allowed
	 */
	public Optional<Conversation> open(UserId owner, ConversationId id) {
		boolean wasOpen = store.conversation(owner, id).map(ConversationSummary::open).orElse(true);
		Optional<Conversation> conversation = wasOpen ? store.open(owner, id) : capped(owner, () -> {
			// another tab may have opened it meanwhile: then it takes no more room
			if (!store.conversation(owner, id).map(ConversationSummary::open).orElse(true)) {
				checkOpenConversations(owner);
			}
			return store.open(owner, id);
		});
		if (conversation.isPresent() && !wasOpen) {
			publish(owner, id, Change.OPENED, null);
		}
		return conversation;
	}

	/** Closes a conversation's pane; the conversation stays in the list. */
	public void close(UserId owner, ConversationId id) {
		if (store.conversation(owner, id).isPresent()) {
			store.close(owner, id);
			publish(owner, id, Change.CLOSED, null);
		}
	}

	/**
	 * @return the title as stored; empty if the conversation does not exist or the title
	 * is blank
	 */
	public Optional<String> rename(UserId owner, ConversationId id, String title) {
		Optional<String> stored = store.rename(owner, id, title);
		stored.ifPresent(t -> publish(owner, id, Change.RENAMED, t));
		return stored;
	}

	/**
	 * The automatic title ({@link AutoTitles}): stored and told only while the user has
	 * not titled the conversation (nor has an earlier automatic title).
	 * @return whether the title was stored
	 */
	boolean titleIfUntitled(UserId owner, ConversationId id, String title) {
		boolean stored = store.titleIfUntitled(owner, id, title);
		if (stored) {
			publish(owner, id, Change.RENAMED, title);
		}
		return stored;
	}

	/**
	 * The conversation has a new latest message (an answer ended): its place in the list
	 * changes.
	 */
	void activity(UserId owner, ConversationId id) {
		publish(owner, id, Change.ACTIVITY, null);
	}

	/** Continues the conversation with another model from its next prompt on. */
	public void changeModel(UserId owner, ConversationId id, String model) {
		if (store.changeModel(owner, id, catalog.resolve(model))) {
			publish(owner, id, Change.SETTINGS, null);
		}
	}

	/**
	 * Remembers the conversation's system instruction (blank: none) and temperature
	 * (null: the model's default).
	 * @throws ConversationLimitException when the instruction is longer than
	 * chat.history.max-system-instruction-chars
	 */
	public void changeSettings(UserId owner, ConversationId id, @Nullable String systemInstruction,
			@Nullable Double temperature) {
		if (systemInstruction != null && systemInstruction.length() > properties.maxSystemInstructionChars()) {
			throw new ConversationLimitException(String.format(Locale.ENGLISH,
					"The system instructions are too long: %,d characters, at most %,d are allowed.",
					systemInstruction.length(), properties.maxSystemInstructionChars()));
		}
		if (store.changeSettings(owner, id, systemInstruction, temperature)) {
			publish(owner, id, Change.SETTINGS, null);
		}
	}

	/**
	 * Turns "Search the web" on or off for the conversation; every view of it follows.
	 */
	public void changeWebSearch(UserId owner, ConversationId id, boolean on) {
		if (store.changeWebSearch(owner, id, on)) {
			publish(owner, id, Change.SETTINGS, null);
		}
	}

	/**
	 * Deletes a conversation; {@link #restore} undoes it.
	 * @return false if there is no such conversation
	 * @throws ConversationBusyException while an answer streams in it
	 */
	public boolean delete(UserId owner, ConversationId id) {
		if (store.conversation(owner, id).isEmpty()) {
			return false;
		}
		// this node's generations, and (with several nodes) a reply stored as streaming
		// elsewhere
		if (streaming.isStreaming(owner, id) || messages.hasStreamingReply(owner, id)) {
			throw new ConversationBusyException(
					"An answer is still streaming in this chat; stop it before deleting the chat.");
		}
		boolean deleted = store.delete(owner, id);
		if (deleted) {
			publish(owner, id, Change.DELETED, null);
		}
		return deleted;
	}

	/**
	 * Undoes {@link #delete}: the conversation is back, open or closed as it was, within
	 * the caps: its pane stays closed if as many panes were opened meanwhile.
	 * @throws ConversationLimitException when as many conversations were created since
	 */
	public Optional<ConversationSummary> restore(UserId owner, ConversationId id) {
		Optional<ConversationSummary> restored = capped(owner, () -> {
			if (store.conversation(owner, id).isEmpty()) {
				// counted like a new one: another may have been created since the delete
				checkConversations(owner);
			}
			Optional<ConversationSummary> back = store.restore(owner, id);
			if (back.isPresent() && back.get().open()
					&& store.openConversations(owner).size() > properties.maxOpenPanes()) {
				// back in the list, but its pane stays closed: panes were opened since
				store.close(owner, id);
				return store.conversation(owner, id);
			}
			return back;
		});
		restored.ifPresent(c -> publish(owner, id, Change.RESTORED, null));
		return restored;
	}

	/**
	 * The user's messages containing {@code query} (case-insensitive), newest first, in
	 * any conversation.
	 */
	public List<SearchHit> search(UserId owner, String query, int limit) {
		return messages.search(owner, query, null, limit);
	}

	/**
	 * The conversation as it stands as Markdown: its title, then each message the
	 * conversation follows (not the versions it left: earlier answers, edited prompts),
	 * tool calls as a line each.
	 */
	public Optional<MarkdownExport> export(UserId owner, ConversationId id) {
		return store.conversation(owner, id)
			.map(c -> new MarkdownExport(fileName(c.title()), markdown(c.title(), messages.currentPath(owner, id))));
	}

	static String markdown(String title, List<ChatMessage> messages) {
		StringBuilder md = new StringBuilder("# ").append(title.strip()).append("\n");
		for (ChatMessage message : messages) {
			if (message.offPath()) {
				continue;
			}
			md.append("\n");
			if (message.role() == Role.USER) {
				md.append("**You:**\n\n").append(message.text().strip()).append("\n");
				continue;
			}
			md.append("**Model (").append(message.model() == null ? "unknown" : message.model()).append("):**\n\n");
			md.append(withToolCalls(message).strip()).append("\n");
			if (message.status() != MessageStatus.COMPLETE) {
				md.append("\n_(").append(outcome(message)).append(")_\n");
			}
		}
		return md.toString();
	}

	/** The answer's text with a line for each tool call where it was made. */
	private static String withToolCalls(ChatMessage message) {
		String text = message.text();
		StringBuilder result = new StringBuilder();
		int at = 0;
		for (ToolPart part : message.parts().stream().sorted(Comparator.comparingInt(ToolPart::seq)).toList()) {
			int anchor = Math.clamp(part.anchor(), at, text.length());
			result.append(text, at, anchor);
			result.append("\n\n> Tool call: `")
				.append(part.name())
				.append("` ")
				.append(part.argsJson())
				.append(" → ")
				.append(part.status().name().toLowerCase(Locale.ROOT));
			if (part.error() != null) {
				result.append(": ").append(part.error());
			}
			result.append("\n\n");
			at = anchor;
		}
		return result.append(text.substring(at)).toString();
	}

	private static String outcome(ChatMessage message) {
		String status = message.status().name().toLowerCase(Locale.ROOT);
		return message.error() == null || message.error().isBlank() ? status : status + ": " + message.error();
	}

	/** The title as a file name that every operating system accepts, ending in ".md". */
	public static String fileName(String title) {
		String name = title.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").replaceAll("\\s+", " ").strip();
		name = name.replaceAll("^[. ]+|[. ]+$", "");
		if (name.length() > 80) {
			name = name.substring(0, 80).strip();
		}
		return (name.isEmpty() ? "conversation" : name) + ".md";
	}

	private void publish(UserId owner, ConversationId id, Change change, @Nullable String title) {
		events.publish(new ConversationEvent(owner, id, change, title));
	}

}
