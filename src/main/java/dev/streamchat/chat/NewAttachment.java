package dev.streamchat.chat;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A checked file to store with a new prompt: its whole content, the type found in it and,
 * for an image, its pixel size (null otherwise).
 */
public record NewAttachment(String name, String mimeType, byte[] bytes, @Nullable Integer width,
		@Nullable Integer height) {

	public NewAttachment {
		Objects.requireNonNull(name);
		Objects.requireNonNull(mimeType);
		Objects.requireNonNull(bytes);
	}

	public long size() {
		return bytes.length;
	}
}
