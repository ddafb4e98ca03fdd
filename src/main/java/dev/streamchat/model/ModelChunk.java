package dev.streamchat.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one streamed event added: answer text, thought-summary text (shown apart, never part of
 * the answer), and tool calls the model wants run. {@code finishReason} and {@code usage} are null
 * until the model reports them (usually on the last chunk).
 */
public record ModelChunk(String text, String thought, List<ToolCall> toolCalls, @Nullable String finishReason,
                         @Nullable TokenCounts usage) {

    public ModelChunk {
        text = withoutNul(text);
        thought = withoutNul(thought);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /**
     * U+0000 is dropped: PostgreSQL refuses it in text (the append and a whole NOTIFY batch with it
     * would fail), and it means nothing on screen.
     */
    private static String withoutNul(String s) {
        return s == null ? "" : s.indexOf('\0') < 0 ? s : s.replace("\0", "");
    }

    public ModelChunk(String text, @Nullable String finishReason, @Nullable TokenCounts usage) {
        this(text, "", List.of(), finishReason, usage);
    }

    public static ModelChunk text(String text) {
        return new ModelChunk(text, "", List.of(), null, null);
    }

    public static ModelChunk thought(String thought) {
        return new ModelChunk("", thought, List.of(), null, null);
    }

    public static ModelChunk toolCalls(List<ToolCall> calls) {
        return new ModelChunk("", "", calls, null, null);
    }

    public record TokenCounts(int input, int output, int thoughts) {
    }
}
