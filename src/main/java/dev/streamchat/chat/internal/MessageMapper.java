package dev.streamchat.chat.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.streamchat.chat.Attachment;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.Usage;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stored rows to {@link ChatMessage}s: a reply still streaming gets the batches stored so
 * far appended to its text and thinking, and the tool parts of a whole list are read in
 * one query.
 */
@Component
public class MessageMapper {

	private final MessageRepository messages;

	private final PartRepository parts;

	/** Boot's one JSON mapper: the web sources are stored as JSON. */
	private final JsonMapper json;

	private final AttachmentRepository attachments;

	MessageMapper(MessageRepository messages, PartRepository parts, AttachmentRepository attachments, JsonMapper json) {
		this.messages = messages;
		this.json = json;
		this.parts = parts;
		this.attachments = attachments;
	}

	/** An answer's web sources as stored (JSON); null stays null. */
	public @Nullable String groundingJson(@Nullable Grounding grounding) {
		return grounding == null ? null : json.writeValueAsString(grounding);
	}

	/**
	 * The stored web sources of an answer; a document that cannot be read counts as none
	 * (it is only a display aid).
	 */
	public @Nullable Grounding grounding(@Nullable String stored) {
		if (stored == null || stored.isBlank()) {
			return null;
		}
		try {
			return json.readValue(stored, Grounding.class);
		}
		catch (JacksonException e) {
			return null;
		}
	}

	public ChatMessage toMessage(MessageRecord row) {
		return toMessages(List.of(row)).getFirst();
	}

	/**
	 * Rows to messages, with the parts of all of them read in one query, and the prompts'
	 * files in another.
	 */
	public List<ChatMessage> toMessages(List<MessageRecord> rows) {
		Map<Long, List<ToolPart>> partsById = partsByMessage(rows);
		Map<Long, List<Attachment>> filesById = attachmentsByMessage(rows);
		List<ChatMessage> result = new ArrayList<>(rows.size());
		for (MessageRecord row : rows) {
			MessageStatus status = MessageStatus.valueOf(row.status());
			boolean streaming = status == MessageStatus.STREAMING;
			result.add(new ChatMessage(new MessageId(row.storedId()), new ConversationId(row.paneId()),
					Role.valueOf(row.role()), streaming ? storedText(row) : row.content(), status, row.model(),
					row.error(), row.finishReason(),
					new Usage(row.inputTokens(), row.outputTokens(), row.thoughtTokens()), row.createdAt(),
					row.finishedAt(), streaming ? storedThinking(row) : row.thinking(),
					partsById.getOrDefault(row.storedId(), List.of()), firstToken(row), row.offPath(),
					ChatMessage.parseSeams(row.seams()), row.contextDropped(), grounding(row.grounding()),
					filesById.getOrDefault(row.storedId(), List.of())));
		}
		return result;
	}

	private static @Nullable Duration firstToken(MessageRecord row) {
		Integer millis = row.firstTokenMs();
		return millis == null ? null : Duration.ofMillis(millis);
	}

	/**
	 * The answer text stored of a reply: its own plus the batches of one still streaming.
	 */
	public String storedText(MessageRecord row) {
		return row.content() + String.join("", messages.chunks(row.storedId()));
	}

	public String storedThinking(MessageRecord row) {
		return row.thinking() + String.join("", messages.thoughtChunks(row.storedId()));
	}

	/**
	 * The attachments of the prompts among {@code rows}, by message id (metadata only).
	 */
	private Map<Long, List<Attachment>> attachmentsByMessage(List<MessageRecord> rows) {
		List<Long> prompts = rows.stream()
			.filter(r -> r.role().equals(Role.USER.name()))
			.map(MessageRecord::id)
			.toList();
		Map<Long, List<Attachment>> byMessage = new HashMap<>();
		for (Attachment file : attachments.of(prompts)) {
			byMessage.computeIfAbsent(file.messageId().value(), k -> new ArrayList<>()).add(file);
		}
		return byMessage;
	}

	/** The tool parts of the replies among {@code rows}, by message id. */
	public Map<Long, List<ToolPart>> partsByMessage(List<MessageRecord> rows) {
		List<Long> replies = rows.stream()
			.filter(r -> r.role().equals(Role.ASSISTANT.name()))
			.map(MessageRecord::storedId)
			.toList();
		Map<Long, List<ToolPart>> byMessage = new HashMap<>();
		for (PartRow part : parts.partsOf(replies)) {
			byMessage.computeIfAbsent(part.messageId(), k -> new ArrayList<>())
				.add(new ToolPart(part.seq(), part.anchor(), part.name(), part.args(),
						ToolPart.ToolStatus.valueOf(part.status()), part.result(), part.error()));
		}
		return byMessage;
	}

}
