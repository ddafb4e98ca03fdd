package dev.streamchat.sharing;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.streamchat.chat.Attachment;
import dev.streamchat.chat.AttachmentFile;
import dev.streamchat.chat.AttachmentId;
import dev.streamchat.chat.AttachmentStore;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.ConversationSummary;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Role;
import dev.streamchat.security.UserId;
import dev.streamchat.sharing.internal.ShareStore;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-only links to a snapshot of a conversation: made by its owner from the side list,
 * listed and revoked by the owner only, and opened by anyone who has the link, without
 * signing in. A revoked link, or one of a deleted conversation, finds nothing.
 */
@Service
public class SharedLinks {

	private final ConversationStore panes;

	private final Messages messages;

	private final ShareStore store;

	private final AttachmentStore attachments;

	private final Clock clock = Clock.systemUTC();

	SharedLinks(ConversationStore panes, Messages messages, ShareStore store, AttachmentStore attachments) {
		this.panes = panes;
		this.messages = messages;
		this.store = store;
		this.attachments = attachments;
	}

	/**
	 * Takes a snapshot of the owner's conversation as it now reads (answers still
	 * streaming are left out) and makes a link to it.
	 * @return empty if the owner has no such conversation
	 */
	@Transactional
	public Optional<SharedLink> create(UserId owner, ConversationId pane, ShareOptions options) {
		Optional<ConversationSummary> conversation = panes.conversation(owner, pane);
		if (conversation.isEmpty()) {
			return Optional.empty();
		}
		String instruction = options.systemInstruction()
				? panes.openOrClosed(owner, pane).map(Conversation::systemInstruction).orElse(null) : null;
		List<SharedConversation.Message> shared = messages.currentPath(owner, pane)
			.stream()
			.filter(m -> !m.isStreaming())
			.map(m -> message(m, options))
			.toList();
		SharedConversation snapshot = new SharedConversation(conversation.get().title(), clock.instant(), instruction,
				shared);
		SharedLink link = new SharedLink(ShareId.random(), pane, conversation.get().title(), clock.instant());
		store.save(owner, link, snapshot);
		return Optional.of(link);
	}

	private static SharedConversation.Message message(ChatMessage m, ShareOptions options) {
		boolean user = m.role() == Role.USER;
		List<SharedConversation.File> files = options.attachments()
				? m.attachments().stream().map(SharedLinks::file).toList() : List.of();
		return new SharedConversation.Message(user, m.text(), user ? null : m.model(), m.status().name(), m.grounding(),
				options.toolCalls() ? m.parts() : List.of(), files, m.attachments().size() - files.size());
	}

	private static SharedConversation.File file(Attachment a) {
		return new SharedConversation.File(a.id().value(), a.name(), a.mimeType(), a.size(), a.width(), a.height());
	}

	/** The owner's links, newest first. */
	public List<SharedLink> list(UserId owner) {
		return store.linksOf(owner);
	}

	/** The owner's links to one conversation, newest first. */
	public List<SharedLink> list(UserId owner, ConversationId pane) {
		return store.linksOf(owner).stream().filter(l -> l.paneId().equals(pane)).toList();
	}

	/**
	 * Revokes one of the owner's links: from now on it finds nothing.
	 * @return false if the owner has no such link
	 */
	@Transactional
	public boolean revoke(UserId owner, ShareId id) {
		return store.delete(owner, id);
	}

	/**
	 * What a link shows, to anyone who has it; empty when revoked, never made, or its
	 * conversation was deleted.
	 */
	public Optional<SharedConversation> open(ShareId id) {
		return store.snapshot(id).map(ShareStore.Stored::snapshot);
	}

	/**
	 * A file the link shares, with its bytes, to anyone who has the link: only a file its
	 * snapshot lists (shared because the owner ticked it), read as its owner reads it.
	 * Empty for any other id (another link's file, a file of the same conversation not in
	 * the snapshot), for a revoked or unknown link, a deleted conversation, and a file
	 * deleted since with its message.
	 */
	public Optional<AttachmentFile> attachment(ShareId id, AttachmentId file) {
		return store.snapshot(id)
			.filter(shared -> shared.snapshot()
				.messages()
				.stream()
				.flatMap(m -> m.files().stream())
				.anyMatch(f -> f.id() == file.value()))
			.flatMap(shared -> attachments.owned(shared.owner(), file));
	}

}
