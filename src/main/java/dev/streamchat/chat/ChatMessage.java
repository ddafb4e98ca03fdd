package dev.streamchat.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation as stored. For a reply that is still
 * {@link MessageStatus#STREAMING} {@code text} and {@code thinking} are what has reached
 * storage so far. {@code parts} are the reply's tool calls in order, each anchored at an
 * offset of {@code text}. An {@code offPath} message is off the conversation's current
 * path (an earlier version of an edited prompt or a regenerated answer, or what followed
 * one): kept, reachable, but not the conversation. {@code contextDropped}: how many of
 * the oldest messages of the conversation were not sent with the request for this reply,
 * because the whole would not fit the model's context (0: all were sent). {@code seams}
 * are the answer offsets where another node took the reply up again after the node
 * generating it went away ("continued after a server restart"), in order.
 * {@code grounding}: the web sources of an answer that searched the web; null otherwise.
 * {@code attachments} are the files of a prompt, in order (their bytes are not loaded).
 */
public record ChatMessage(MessageId id, ConversationId conversationId, Role role, String text, MessageStatus status,
		@Nullable String model, @Nullable String error, @Nullable String finishReason, Usage usage, Instant createdAt,
		@Nullable Instant finishedAt, String thinking, List<ToolPart> parts, @Nullable Duration firstToken,
		boolean offPath, List<Integer> seams, int contextDropped, @Nullable Grounding grounding,
		List<Attachment> attachments) {

	public ChatMessage {
		thinking = thinking == null ? "" : thinking;
		parts = parts == null ? List.of() : List.copyOf(parts);
		seams = seams == null ? List.of() : List.copyOf(seams);
		attachments = attachments == null ? List.of() : List.copyOf(attachments);
	}

	/** A message that is not grounded in web sources. */
	public ChatMessage(MessageId id, ConversationId conversationId, Role role, String text, MessageStatus status,
			@Nullable String model, @Nullable String error, @Nullable String finishReason, Usage usage,
			Instant createdAt, @Nullable Instant finishedAt, String thinking, List<ToolPart> parts,
			@Nullable Duration firstToken, boolean offPath, List<Integer> seams, int contextDropped) {
		this(id, conversationId, role, text, status, model, error, finishReason, usage, createdAt, finishedAt, thinking,
				parts, firstToken, offPath, seams, contextDropped, null, List.of());
	}

	/** A message with no seams, sent whole, not grounded in web sources. */
	public ChatMessage(MessageId id, ConversationId conversationId, Role role, String text, MessageStatus status,
			@Nullable String model, @Nullable String error, @Nullable String finishReason, Usage usage,
			Instant createdAt, @Nullable Instant finishedAt, String thinking, List<ToolPart> parts,
			@Nullable Duration firstToken, boolean offPath) {
		this(id, conversationId, role, text, status, model, error, finishReason, usage, createdAt, finishedAt, thinking,
				parts, firstToken, offPath, List.of(), 0, null, List.of());
	}

	/** A message with no seams, sent whole, and perhaps grounded in web sources. */
	public ChatMessage(MessageId id, ConversationId conversationId, Role role, String text, MessageStatus status,
			@Nullable String model, @Nullable String error, @Nullable String finishReason, Usage usage,
			Instant createdAt, @Nullable Instant finishedAt, String thinking, List<ToolPart> parts,
			@Nullable Duration firstToken, boolean offPath, @Nullable Grounding grounding) {
		this(id, conversationId, role, text, status, model, error, finishReason, usage, createdAt, finishedAt, thinking,
				parts, firstToken, offPath, List.of(), 0, grounding, List.of());
	}

	/** A prompt with its files. */
	public ChatMessage(MessageId id, ConversationId conversationId, Role role, String text, MessageStatus status,
			@Nullable String model, @Nullable String error, @Nullable String finishReason, Usage usage,
			Instant createdAt, @Nullable Instant finishedAt, String thinking, List<ToolPart> parts,
			@Nullable Duration firstToken, boolean offPath, List<Attachment> attachments) {
		this(id, conversationId, role, text, status, model, error, finishReason, usage, createdAt, finishedAt, thinking,
				parts, firstToken, offPath, List.of(), 0, null, attachments);
	}

	public boolean isStreaming() {
		return status == MessageStatus.STREAMING;
	}

	public Duration elapsed() {
		return finishedAt == null ? Duration.ZERO : Duration.between(createdAt, finishedAt);
	}

	/**
	 * This message with what a live generation holds, which is ahead of storage while it
	 * streams.
	 */
	public ChatMessage withLive(String liveText, String liveThinking, List<ToolPart> liveParts, List<Integer> liveSeams,
			@Nullable Grounding liveGrounding) {
		return new ChatMessage(id, conversationId, role, liveText, status, model, error, finishReason, usage, createdAt,
				finishedAt, liveThinking, liveParts, firstToken, offPath, liveSeams, contextDropped, liveGrounding,
				attachments);
	}

	/** Seams as stored: answer offsets, comma-separated. */
	public static List<Integer> parseSeams(@Nullable String stored) {
		if (stored == null || stored.isBlank()) {
			return List.of();
		}
		return Arrays.stream(stored.split(",")).map(String::strip).map(Integer::valueOf).toList();
	}
}
