package dev.streamchat.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One message of a conversation as stored. For a reply that is still {@link MessageStatus#STREAMING}
 * {@code text} and {@code thinking} are what has reached storage so far. {@code parts} are the
 * reply's tool calls in order, each anchored at an offset of {@code text}. An {@code offPath}
 * message is off the conversation's current path (an earlier version of an edited prompt or a
 * regenerated answer, or what followed one): kept, reachable, but not the conversation.
 * {@code attachments} are the files of a prompt, in order (their bytes are not loaded).
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
        Instant finishedAt,
        String thinking,
        List<ToolPart> parts,
        Duration firstToken,
        boolean offPath,
        List<Attachment> attachments) {

    public ChatMessage {
        thinking = thinking == null ? "" : thinking;
        parts = parts == null ? List.of() : List.copyOf(parts);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A message without attachments. */
    public ChatMessage(MessageId id, PaneId paneId, Role role, String text, MessageStatus status, String model,
                       String error, String finishReason, Usage usage, Instant createdAt, Instant finishedAt,
                       String thinking, List<ToolPart> parts, Duration firstToken, boolean offPath) {
        this(id, paneId, role, text, status, model, error, finishReason, usage, createdAt, finishedAt, thinking, parts,
                firstToken, offPath, List.of());
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
                finishedAt, liveThinking, liveParts, firstToken, offPath, attachments);
    }
}
