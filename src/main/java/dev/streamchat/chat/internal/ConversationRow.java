package dev.streamchat.chat.internal;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * @param titleSet the title came from the user or from the first exchange: no automatic
 * title replaces it
 * @param webSearch "Search the web" is on for this conversation
 * @param deletedAt when the user deleted the conversation (it can be undone); null while
 * it exists
 */
@Table("pane")
public record ConversationRow(@Id @Nullable Long id, Long ownerId, String title, String model, int position,
		boolean open, Instant createdAt, @Nullable String systemInstruction, @Nullable Double temperature,
		boolean titleSet, @Nullable Instant deletedAt, boolean webSearch) {

	/**
	 * The id of a stored row (read, or returned by save); only a row not inserted yet has
	 * none.
	 */
	public long storedId() {
		return Objects.requireNonNull(id, "the row is not stored yet");
	}
}
