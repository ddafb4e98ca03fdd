package dev.streamchat.chat;

import java.time.Duration;
import java.time.Instant;

/**
 * One message of a conversation as stored. For a reply that is still {@link MessageStatus#STREAMING}
 * {@code text} is what has reached storage so far.
 */
public record ChatMessage(
        MessageId id,
        PaneId paneId,
        Role role,
        String text,
        MessageStatus status,
        String model,
        String error,
        String finishReason,
        Usage usage,
        Instant createdAt,
        Instant finishedAt) {

    public boolean isStreaming() {
        return status == MessageStatus.STREAMING;
    }

    public Duration elapsed() {
        return finishedAt == null ? Duration.ZERO : Duration.between(createdAt, finishedAt);
    }
}
