package dev.streamchat.broadcast;

import java.time.Duration;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.PaneId;
import dev.streamchat.chat.Usage;

/** What happens to a pane's messages, in the order it happens, fanned out to every UI showing the pane. */
public sealed interface MessageEvent {

    PaneId paneId();

    MessageId messageId();

    /** A message was stored: the user's prompt, or a reply that starts out empty and streaming. */
    record Added(ChatMessage message) implements MessageEvent {
        @Override
        public PaneId paneId() {
            return message.paneId();
        }

        @Override
        public MessageId messageId() {
            return message.id();
        }
    }

    /** A streaming reply's state changed, for the phase label ("waiting for model", "generating", "retrying"). */
    record PhaseChanged(PaneId paneId, MessageId messageId, Phase phase, String detail) implements MessageEvent {
    }

    /**
     * Text appended to a streaming reply. {@code offset} is the reply's length (UTF-16 units) before
     * this text: a receiver skips what it already has and reloads when a delta starts beyond it.
     */
    record Delta(PaneId paneId, MessageId messageId, int offset, String text) implements MessageEvent {
        public int end() {
            return offset + text.length();
        }
    }

    /** A reply ended; {@code length} is its final text length, so a receiver can tell whether it missed anything. */
    record Finished(PaneId paneId, MessageId messageId, MessageStatus status, String error, String finishReason,
                    Usage usage, Duration elapsed, int length) implements MessageEvent {
    }

    enum Phase {
        WAITING, GENERATING, RETRYING
    }
}
