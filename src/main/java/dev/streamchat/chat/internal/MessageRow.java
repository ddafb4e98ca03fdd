package dev.streamchat.chat.internal;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table("message")
public record MessageRow(
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
        boolean superseded,
        Long parentId,
        boolean replaced) {
}
