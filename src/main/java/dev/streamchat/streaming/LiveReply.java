package dev.streamchat.streaming;

import java.util.List;

import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.ToolPart;

/** What a reply streaming on this server has produced so far: a copy taken once. {@code grounding}: null if none. */
public record LiveReply(String text, String thinking, List<ToolPart> parts, Grounding grounding) {

    public LiveReply {
        parts = List.copyOf(parts);
    }

    public LiveReply(String text, String thinking, List<ToolPart> parts) {
        this(text, thinking, parts, null);
    }
}
