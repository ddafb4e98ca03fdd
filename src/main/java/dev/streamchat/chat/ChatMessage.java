package dev.streamchat.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation as stored. For a reply that is still {@link MessageStatus#STREAMING}
 * {@code text} and {@code thinking} are what has reached storage so far. {@code parts} are the
 * reply's tool calls in order, each anchored at an offset of {@code text}. An {@code offPath}
 * message is off the conversation's current path (an earlier version of an edited prompt or a
 * regenerated answer, or what followed one): kept, reachable, but not the conversation.
 */
public record ChatMessage(
        MessageId id,
        PaneId paneId,
        Role role,
        String text,
        MessageStatus status,
        @Nullable String model,
        @Nullable String error,
        @Nullable String finishReason,
        Usage usage,
        Instant createdAt,
        @Nullable Instant finishedAt,
        String thinking,
        List<ToolPart> parts,
        @Nullable Duration firstToken,
        boolean offPath) {

    public ChatMessage {
        thinking = thinking == null ? "" : thinking;
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    public boolean isStreaming() {
        return status == MessageStatus.STREAMING;
    }

    public Duration elapsed() {
        return finishedAt == null ? Duration.ZERO : Duration.between(createdAt, finishedAt);
    }

    /** This message with what a live generation holds, which is ahead of storage while it streams. */
    public ChatMessage withLive(String liveText, String liveThinking, List<ToolPart> liveParts) {
        return new ChatMessage(id, paneId, role, liveText, status, model, error, finishReason, usage, createdAt,
                finishedAt, liveThinking, liveParts, firstToken, offPath);
    }
}
