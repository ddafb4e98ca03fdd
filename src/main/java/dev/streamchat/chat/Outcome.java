package dev.streamchat.chat;

/** How a reply ended: written once, into the reply's own row. */
public record Outcome(MessageStatus status, String error, String finishReason, Usage usage) {

    public Outcome {
        if (!status.isFinal()) {
            throw new IllegalArgumentException("an outcome is final, not " + status);
        }
        usage = usage == null ? Usage.NONE : usage;
    }
}
