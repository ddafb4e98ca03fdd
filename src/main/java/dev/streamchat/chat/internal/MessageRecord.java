package dev.streamchat.chat.internal;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A stored message as its row. {@code offPath}: not on the conversation's current path (column
 * {@code superseded}); {@code setAside}: a version not chosen among its siblings (column {@code replaced}).
 */
@Table("message")
public record MessageRecord(
        @Id Long id,
        long paneId,
        String role,
        String content,
        String status,
        String model,
        String error,
        String finishReason,
        int inputTokens,
        int outputTokens,
        int thoughtTokens,
        Instant createdAt,
        Instant finishedAt,
        String nodeId,
        String thinking,
        Integer firstTokenMs,
        @Column("superseded") boolean offPath,
        Long parentId,
        @Column("replaced") boolean setAside,
        String grounding) {
}
