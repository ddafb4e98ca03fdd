package dev.streamchat.chat.internal;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * @param titleSet  the title came from the user or from the first exchange: no automatic title replaces it
 * @param webSearch "Search the web" is on for this conversation
 * @param deletedAt when the user deleted the conversation (it can be undone); null while it exists
 */
@Table("pane")
public record PaneRow(@Id Long id, Long ownerId, String title, String model, int position, boolean open,
                      Instant createdAt, String systemInstruction, Double temperature, boolean titleSet,
                      Instant deletedAt, boolean webSearch) {
}
