package dev.streamchat.chat;

import java.time.Instant;

import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;

/**
 * A chat pane as the user arranged it: one conversation, shown side by side with others, with
 * the settings it is continued with.
 *
 * @param systemInstruction null for none
 * @param temperature       null for the model's default
 */
public record Pane(PaneId id, UserId owner, String title, String model, int position, Instant createdAt,
                   @Nullable String systemInstruction, @Nullable Double temperature) {
}
