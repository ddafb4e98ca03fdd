package dev.streamchat.chat.internal;

import org.jspecify.annotations.Nullable;

/** A row of message_part (read with a query; written with upserts by the store). */
public record PartRow(long messageId, int seq, int anchor, String kind, String name, String args, String status,
		@Nullable String result, @Nullable String error) {
}
