package dev.streamchat.history;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The conversation list; see application.properties for each key.
 *
 * @param modelTitles  ask the model for a short title after a conversation's first answer (false: its first words)
 * @param titleTimeout longest the model may take for a title before the first words are used instead
 * @param undoTime     how long a deleted conversation offers "Undo"
 */
@ConfigurationProperties("chat.history")
public record HistoryProperties(
        @DefaultValue("true") boolean modelTitles,
        @DefaultValue("15s") Duration titleTimeout,
        @DefaultValue("8s") Duration undoTime) {
}
