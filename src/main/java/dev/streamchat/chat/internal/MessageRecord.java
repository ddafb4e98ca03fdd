package dev.streamchat.chat.internal;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A stored message as its row. {@code offPath}: not on the conversation's current path
 * (column {@code superseded}); {@code setAside}: a version not chosen among its siblings
 * (column {@code replaced}); {@code seams}: answer offsets, comma-separated, where
 * another node took the reply up again. {@code streamingPane}: the pane's id while the
 * reply streams, else null (a unique index allows one per pane); {@code contextDropped}:
 * the oldest messages left out of the reply's request (context limit).
 */
@Table("message")
public record MessageRecord(@Id @Nullable Long id, long paneId, String role, String content, String status,
		@Nullable String model, @Nullable String error, @Nullable String finishReason, int inputTokens,
		int outputTokens, int thoughtTokens, Instant createdAt, @Nullable Instant finishedAt, @Nullable String nodeId,
		String thinking, @Nullable Integer firstTokenMs, @Column("superseded") boolean offPath, @Nullable Long parentId,
		@Column("replaced") boolean setAside, String seams, @Nullable Long streamingPane, int contextDropped,
		@Nullable String grounding) {

	/**
	 * The id of a stored row (read, or returned by save); only a row not inserted yet has
	 * none.
	 */
	public long storedId() {
		return Objects.requireNonNull(id, "the row is not stored yet");
	}
}
