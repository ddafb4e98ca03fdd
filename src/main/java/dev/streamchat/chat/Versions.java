package dev.streamchat.chat;

import org.jspecify.annotations.Nullable;

/**
 * Where a message stands among its versions (the prompts and answers that edit or
 * regenerate made from the same point): {@code number} of {@code count}, and its
 * neighbours (null at either end).
 */
public record Versions(int number, int count, @Nullable MessageId previous, @Nullable MessageId next) {
}
