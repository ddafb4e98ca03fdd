package dev.streamchat.streaming;

import java.util.List;

import dev.streamchat.chat.ToolPart;

/** What a reply streaming on this server has produced so far: a copy taken once. */
public record LiveReply(String text, String thinking, List<ToolPart> parts) {

    public LiveReply {
        parts = List.copyOf(parts);
    }
}
