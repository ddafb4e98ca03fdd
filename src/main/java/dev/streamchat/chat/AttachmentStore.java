package dev.streamchat.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.streamchat.chat.internal.AttachmentRepository;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The files attached to prompts: read by their owner (for the browser), read by id (for
 * the model: ids that came from storage), and the model provider's remote copy
 * remembered. Files are stored with their prompt
 * ({@link Messages#addUserMessage(UserId, ConversationId, String, java.util.List)}) and
 * deleted with it (cascade).
 */
@Service
public class AttachmentStore {

	private final AttachmentRepository attachments;

	private final Clock clock = Clock.systemUTC();

	AttachmentStore(AttachmentRepository attachments) {
		this.attachments = attachments;
	}

	/**
	 * One of the owner's files with its bytes; empty for another user's id, for one in a
	 * deleted conversation, and for one that does not exist, alike.
	 */
	public Optional<AttachmentFile> owned(UserId owner, AttachmentId id) {
		return attachments.findOwned(id.value(), owner.value())
			.flatMap(file -> attachments.bytes(id.value()).map(bytes -> new AttachmentFile(file, bytes)));
	}

	/**
	 * The bytes of a file whose id came from storage (a conversation being sent to the
	 * model).
	 */
	public Optional<byte[]> bytes(AttachmentId id) {
		return attachments.bytes(id.value());
	}

	/**
	 * Remembers the copy uploaded to the model provider, so later turns refer to it until
	 * it expires.
	 */
	public void rememberRemote(AttachmentId id, String uri, @Nullable Instant expiresAt) {
		attachments.rememberRemote(id.value(), uri, expiresAt);
	}

	/**
	 * Deletes the files of conversations deleted more than {@code undoTime} ago (Undo is
	 * over for them); nothing shows them any more, and their bytes should not outlive the
	 * user's decision.
	 * @return how many files went
	 */
	public int purgeDeleted(Duration undoTime) {
		return attachments.purgeDeletedBefore(clock.instant().minus(undoTime));
	}

}
