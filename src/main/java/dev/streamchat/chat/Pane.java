package dev.streamchat.chat;

import java.time.Instant;

import dev.streamchat.security.UserId;

/** A chat pane as the user arranged it: one conversation, shown side by side with others. */
public record Pane(PaneId id, UserId owner, String title, String model, int position, Instant createdAt) {
}
