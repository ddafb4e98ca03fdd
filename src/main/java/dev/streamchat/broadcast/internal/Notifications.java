package dev.streamchat.broadcast.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.PaneId;
import dev.streamchat.chat.Usage;

/**
 * The NOTIFY payloads of message events: {@code kind|origin|seq|pane|message|fields…}, free text
 * always last so it needs no escaping, and nullable texts prefixed with {@code 1} (or just {@code 0}
 * for null). Cheap to write and read per token, unlike a JSON document.
 * <p>
 * PostgreSQL refuses payloads of 8 000 bytes or more, so a delta longer than {@link #MAX_TEXT_BYTES}
 * in UTF-8 becomes several deltas at consecutive offsets (never between the halves of a surrogate
 * pair), which receivers join like any other; a new message travels as its id only (receivers read
 * it from the database, where it is stored before it is published), and an error text is cut short.
 */
final class Notifications {

    static final int MAX_TEXT_BYTES = 7_000;
    private static final int MAX_ERROR_CHARS = 1_000;

    private Notifications() {
    }

    /** What one payload says. */
    sealed interface Received {
        String origin();

        long seq();
    }

    /** An event to hand on as it is. */
    record Event(String origin, long seq, MessageEvent event) implements Received {
    }

    /** A message was stored: read it from the database. */
    record Added(String origin, long seq, PaneId paneId, MessageId messageId) implements Received {
    }

    record StopRequest(String origin, long seq, MessageId messageId) implements Received {
    }

    static List<String> encode(String origin, LongSupplier seq, MessageEvent event) {
        return switch (event) {
            case MessageEvent.Added a -> List.of(head('A', origin, seq, a));
            case MessageEvent.PhaseChanged p -> List.of(head('P', origin, seq, p) + '|' + p.phase().name() + '|'
                    + nullable(p.detail()));
            case MessageEvent.Delta d -> deltas(origin, seq, d);
            case MessageEvent.Finished f -> List.of(head('F', origin, seq, f) + '|' + f.status().name()
                    + '|' + f.usage().inputTokens() + '|' + f.usage().outputTokens() + '|' + f.usage().thoughtTokens()
                    + '|' + f.elapsed().toMillis() + '|' + f.length()
                    + '|' + nullable(f.finishReason() == null ? null : f.finishReason().replace('|', '/'))
                    + '|' + nullable(f.error() == null || f.error().length() <= MAX_ERROR_CHARS ? f.error()
                    : f.error().substring(0, MAX_ERROR_CHARS - 1) + "…"));
        };
    }

    static String stopRequest(String origin, long seq, MessageId reply) {
        return "S|" + origin + '|' + seq + "|0|" + reply.value();
    }

    static Received decode(String payload) {
        char kind = payload.charAt(0);
        String[] f = payload.split("\\|", switch (kind) {
            case 'A', 'S' -> 5;
            case 'P' -> 7;
            case 'D' -> 7;
            case 'F' -> 13;
            default -> throw new IllegalArgumentException("unknown notification " + kind);
        });
        String origin = f[1];
        long seq = Long.parseLong(f[2]);
        PaneId pane = new PaneId(Long.parseLong(f[3]));
        MessageId message = new MessageId(Long.parseLong(f[4]));
        return switch (kind) {
            case 'A' -> new Added(origin, seq, pane, message);
            case 'S' -> new StopRequest(origin, seq, message);
            case 'P' -> new Event(origin, seq,
                    new MessageEvent.PhaseChanged(pane, message, MessageEvent.Phase.valueOf(f[5]), nullableDecode(f[6])));
            case 'D' -> new Event(origin, seq, new MessageEvent.Delta(pane, message, Integer.parseInt(f[5]), f[6]));
            default -> new Event(origin, seq, new MessageEvent.Finished(pane, message, MessageStatus.valueOf(f[5]),
                    nullableDecode(f[12]), nullableDecode(f[11]),
                    new Usage(Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8])),
                    Duration.ofMillis(Long.parseLong(f[9])), Integer.parseInt(f[10])));
        };
    }

    private static String head(char kind, String origin, LongSupplier seq, MessageEvent event) {
        return kind + "|" + origin + '|' + seq.getAsLong() + '|' + event.paneId().value() + '|' + event.messageId().value();
    }

    private static List<String> deltas(String origin, LongSupplier seq, MessageEvent.Delta delta) {
        String text = delta.text();
        if (text.length() * 3 <= MAX_TEXT_BYTES) { // the usual token: no need to count bytes
            return List.of(head('D', origin, seq, delta) + '|' + delta.offset() + '|' + text);
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = start;
            int bytes = 0;
            while (end < text.length()) {
                char c = text.charAt(end);
                boolean pair = Character.isHighSurrogate(c) && end + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(end + 1));
                int size = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                if (bytes + size > MAX_TEXT_BYTES) {
                    break;
                }
                bytes += size;
                end += pair ? 2 : 1;
            }
            MessageEvent.Delta piece = new MessageEvent.Delta(delta.paneId(), delta.messageId(),
                    delta.offset() + start, text.substring(start, end));
            pieces.add(head('D', origin, seq, piece) + '|' + piece.offset() + '|' + piece.text());
            start = end;
        }
        return pieces;
    }

    private static String nullable(String text) {
        return text == null ? "0" : "1" + text;
    }

    private static String nullableDecode(String field) {
        return field.startsWith("1") ? field.substring(1) : null;
    }
}
