package dev.streamchat.chat;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A file attached to a prompt, as listed with its message (the bytes are read only when
 * needed).
 *
 * @param mimeType the type found in the file's content, not the one its name or the
 * browser claimed
 * @param width an image's width in pixels; null for other files
 * @param height an image's height in pixels; null for other files
 * @param remoteUri the copy uploaded to the model provider's file store, or null
 * @param remoteExpiresAt when that copy expires; null without one
 */
public record Attachment(AttachmentId id, MessageId messageId, String name, String mimeType, long size,
		@Nullable Integer width, @Nullable Integer height, @Nullable String remoteUri,
		@Nullable Instant remoteExpiresAt) {

	public boolean isImage() {
		return mimeType.startsWith("image/");
	}
}
