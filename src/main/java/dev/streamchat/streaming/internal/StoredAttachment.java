package dev.streamchat.streaming.internal;

import java.util.Optional;

import dev.streamchat.chat.Attachment;
import dev.streamchat.chat.AttachmentStore;
import dev.streamchat.model.ModelRequest;
import org.jspecify.annotations.Nullable;

/**
 * A stored attachment as the model port sees it: the bytes read from storage only when
 * the adapter needs them (and then kept for this request's retries), and an uploaded copy
 * remembered in storage.
 */
final class StoredAttachment implements ModelRequest.Attachment {

	private final Attachment file;

	private final AttachmentStore store;

	private volatile byte @Nullable [] bytes;

	private volatile ModelRequest.@Nullable RemoteFile remote;

	StoredAttachment(Attachment file, AttachmentStore store) {
		this.file = file;
		this.store = store;
		this.remote = file.remoteUri() == null ? null
				: new ModelRequest.RemoteFile(file.remoteUri(), file.remoteExpiresAt());
	}

	@Override
	public String name() {
		return file.name();
	}

	@Override
	public String mimeType() {
		return file.mimeType();
	}

	@Override
	public long size() {
		return file.size();
	}

	@Override
	public @Nullable Integer width() {
		return file.width();
	}

	@Override
	public @Nullable Integer height() {
		return file.height();
	}

	@Override
	public byte[] bytes() {
		byte[] read = bytes;
		if (read == null) {
			read = store.bytes(file.id())
				.orElseThrow(() -> new IllegalStateException("The file " + file.name() + " is no longer stored."));
			bytes = read;
		}
		return read;
	}

	@Override
	public Optional<ModelRequest.RemoteFile> remote() {
		return Optional.ofNullable(remote);
	}

	@Override
	public void remember(ModelRequest.RemoteFile uploaded) {
		remote = uploaded;
		store.rememberRemote(file.id(), uploaded.uri(), uploaded.expiresAt());
	}

}
