package dev.streamchat.model;

import java.util.List;

/**
 * What one streamed event added: answer text, thought-summary text (shown apart, never part of
 * the answer), and tool calls the model wants run. {@code finishReason} and {@code usage} are null
 * until the model reports them (usually on the last chunk).
 */
public record ModelChunk(String text, String thought, List<ToolCall> toolCalls, String finishReason,
                         TokenCounts usage) {

    public ModelChunk {
        text = text == null ? "" : text;
        thought = thought == null ? "" : thought;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ModelChunk(String text, String finishReason, TokenCounts usage) {
        this(text, "", List.of(), finishReason, usage);
    }

    public static ModelChunk text(String text) {
        return new ModelChunk(text, null, null);
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
