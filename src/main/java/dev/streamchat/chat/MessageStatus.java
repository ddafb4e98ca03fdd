package dev.streamchat.chat;

/** Where an assistant reply is in its life; user messages are always {@link #COMPLETE}. */
public enum MessageStatus {
    STREAMING, COMPLETE, FAILED, STOPPED, INTERRUPTED;

    public boolean isFinal() {
        return this != STREAMING;
    }
}
