package dev.streamchat.history;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The conversation list; see application.properties for each key.
 *
 * @param modelTitles ask the model for a short title after a conversation's first answer
 * (false: its first words)
 * @param titleTimeout longest the model may take for a title before the first words are
 * used instead
 * @param undoTime how long a deleted conversation offers "Undo"
 * @param maxSystemInstructionChars longest system instruction a conversation may keep (it
 * is sent with every prompt)
 * @param maxOpenPanes panes a user may have open at once (each one is followed live in
 * every tab)
 * @param maxConversations conversations a user may keep (deleted ones do not count)
 */
@ConfigurationProperties("chat.history")
public record HistoryProperties(@DefaultValue("true") boolean modelTitles, @DefaultValue("15s") Duration titleTimeout,
		@DefaultValue("8s") Duration undoTime, @DefaultValue("8000") int maxSystemInstructionChars,
		@DefaultValue("8") int maxOpenPanes, @DefaultValue("5000") int maxConversations) {
}
