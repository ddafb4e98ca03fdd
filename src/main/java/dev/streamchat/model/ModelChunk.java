package dev.streamchat.model;

/**
 * What one streamed event added. {@code finishReason} and {@code usage} are null until the model
 * reports them (usually on the last chunk).
 */
public record ModelChunk(String text, String finishReason, TokenCounts usage) {

    public static ModelChunk text(String text) {
        return new ModelChunk(text, null, null);
    }

    public record TokenCounts(int input, int output, int thoughts) {
    }
}
