package dev.streamchat.broadcast.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.Usage;
import org.jspecify.annotations.Nullable;

/**
 * The NOTIFY payloads of message events: {@code kind|origin|seq|pane|message|fields…},
 * free text always last so it needs no escaping, and nullable texts prefixed with
 * {@code 1} (or just {@code 0} for null). Cheap to write and read per token, unlike a
 * JSON document.
 * <p>
 * PostgreSQL refuses payloads of 8 000 bytes or more, so a delta longer than
 * {@link #MAX_TEXT_BYTES} in UTF-8 becomes several deltas at consecutive offsets (never
 * between the halves of a surrogate pair), which receivers join like any other; a new
 * message travels as its id only (receivers read it from the database, where it is stored
 * before it is published), and an error text is cut short.
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
	record Added(String origin, long seq, ConversationId paneId, MessageId messageId) implements Received {
	}

	/** A node-wide signal: {@code payload} on {@code topic}. */
	record Signal(String origin, long seq, String topic, String payload) implements Received {
	}

	record StopRequest(String origin, long seq, MessageId messageId) implements Received {
	}

	/**
	 * A reply's web sources changed: read them from the database (they can be longer than
	 * a payload).
	 */
	record Grounded(String origin, long seq, ConversationId paneId, MessageId messageId) implements Received {
	}

	static List<String> encode(String origin, LongSupplier seq, MessageEvent event) {
		return switch (event) {
			case MessageEvent.Added a -> List.of(head('A', origin, seq, a));
			case MessageEvent.PhaseChanged p ->
				List.of(head('P', origin, seq, p) + '|' + p.phase().name() + '|' + nullable(p.detail()));
			case MessageEvent.Delta d -> texts('D', origin, seq, d, d.offset(), d.text());
			case MessageEvent.ThoughtDelta t -> texts('T', origin, seq, t, t.offset(), t.text());
			case MessageEvent.Removed r -> List.of(head('R', origin, seq, r));
			case MessageEvent.PathChanged v -> List.of(head('V', origin, seq, v));
			case MessageEvent.Resumed c ->
				List.of(head('C', origin, seq, c) + '|' + c.offset() + '|' + c.thinkingOffset());
			case MessageEvent.Grounded g -> List.of(head('W', origin, seq, g));
			case MessageEvent.ToolUpdate u -> List.of(toolUpdate(origin, seq, u));
			case MessageEvent.Finished f -> List.of(head('F', origin, seq, f) + '|' + f.status().name() + '|'
					+ f.usage().inputTokens() + '|' + f.usage().outputTokens() + '|' + f.usage().thoughtTokens() + '|'
					+ f.elapsed().toMillis() + '|' + f.length() + '|' + f.thinkingLength() + '|'
					+ millisOrMinusOne(f.firstToken()) + '|' + nullable(withoutBars(f.finishReason())) + '|'
					+ nullable(cutNullable(f.error(), MAX_ERROR_CHARS)));
		};
	}

	/** {@code topic} must not contain '|'; the payload is the free text at the end. */
	static String signal(String origin, long seq, String topic, String payload) {
		return "G|" + origin + '|' + seq + "|0|0|" + topic + '|' + payload;
	}

	static String stopRequest(String origin, long seq, MessageId reply) {
		return "S|" + origin + '|' + seq + "|0|" + reply.value();
	}

	static Received decode(String payload) {
		char kind = payload.charAt(0);
		String[] f = payload.split("\\|", switch (kind) {
			case 'A', 'S' -> 5;
			case 'R', 'V', 'W' -> 5;
			case 'G' -> 7;
			case 'P', 'D', 'T', 'C' -> 7;
			case 'U' -> 13;
			case 'F' -> 15;
			default -> throw new IllegalArgumentException("unknown notification " + kind);
		});
		String origin = f[1];
		long seq = Long.parseLong(f[2]);
		ConversationId pane = new ConversationId(Long.parseLong(f[3]));
		MessageId message = new MessageId(Long.parseLong(f[4]));
		return switch (kind) {
			case 'A' -> new Added(origin, seq, pane, message);
			case 'S' -> new StopRequest(origin, seq, message);
			case 'W' -> new Grounded(origin, seq, pane, message);
			case 'G' -> new Signal(origin, seq, f[5], f[6]);
			case 'P' -> new Event(origin, seq, new MessageEvent.PhaseChanged(pane, message,
					MessageEvent.Phase.valueOf(f[5]), nullableDecode(f[6])));
			case 'D' -> new Event(origin, seq, new MessageEvent.Delta(pane, message, Integer.parseInt(f[5]), f[6]));
			case 'T' ->
				new Event(origin, seq, new MessageEvent.ThoughtDelta(pane, message, Integer.parseInt(f[5]), f[6]));
			case 'R' -> new Event(origin, seq, new MessageEvent.Removed(pane, message));
			case 'V' -> new Event(origin, seq, new MessageEvent.PathChanged(pane, message));
			case 'C' -> new Event(origin, seq,
					new MessageEvent.Resumed(pane, message, Integer.parseInt(f[5]), Integer.parseInt(f[6])));
			case 'U' -> new Event(origin, seq, decodeToolUpdate(pane, message, f));
			default -> {
				long firstToken = Long.parseLong(f[12]);
				yield new Event(origin, seq,
						new MessageEvent.Finished(pane, message, MessageStatus.valueOf(f[5]), nullableDecode(f[14]),
								nullableDecode(f[13]),
								new Usage(Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8])),
								Duration.ofMillis(Long.parseLong(f[9])), Integer.parseInt(f[10]),
								Integer.parseInt(f[11]), firstToken < 0 ? null : Duration.ofMillis(firstToken)));
			}
		};
	}

	private static String head(char kind, String origin, LongSupplier seq, MessageEvent event) {
		return kind + "|" + origin + '|' + seq.getAsLong() + '|' + event.paneId().value() + '|'
				+ event.messageId().value();
	}

	/**
	 * A tool card's state:
	 * {@code seq|anchor|status|name|argsLength|resultLength|errorLength|args result error},
	 * lengths -1 for null, texts concatenated last. A result too long for one
	 * notification is cut short; the full one is stored with the reply.
	 */
	private static String toolUpdate(String origin, LongSupplier seq, MessageEvent.ToolUpdate update) {
		ToolPart part = update.part();
		String args = cut(part.argsJson(), 1_000);
		String error = cutNullable(part.error(), MAX_ERROR_CHARS);
		String result = cutNullable(part.resultJson(), MAX_TEXT_BYTES / 3 - 2_000);
		return head('U', origin, seq, update) + '|' + part.seq() + '|' + part.anchor() + '|' + part.status().name()
				+ '|' + part.name().replace('|', '/') + '|' + length(args) + '|' + length(result) + '|' + length(error)
				+ '|' + args + (result == null ? "" : result) + (error == null ? "" : error);
	}

	private static MessageEvent.ToolUpdate decodeToolUpdate(ConversationId pane, MessageId message, String[] f) {
		String texts = f[12];
		int argsLength = Integer.parseInt(f[9]);
		int resultLength = Integer.parseInt(f[10]);
		int errorLength = Integer.parseInt(f[11]);
		int at = 0;
		// a part always has arguments (length -1 is never written for them)
		String args = argsLength < 0 ? "" : texts.substring(at, at += argsLength);
		String result = resultLength < 0 ? null : texts.substring(at, at += resultLength);
		String error = errorLength < 0 ? null : texts.substring(at, at + errorLength);
		return new MessageEvent.ToolUpdate(pane, message, new ToolPart(Integer.parseInt(f[5]), Integer.parseInt(f[6]),
				f[8], args, ToolPart.ToolStatus.valueOf(f[7]), result, error));
	}

	private static int length(@Nullable String text) {
		return text == null ? -1 : text.length();
	}

	private static String cut(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max - 1) + "…";
	}

	private static @Nullable String cutNullable(@Nullable String text, int max) {
		return text == null ? null : cut(text, max);
	}

	private static long millisOrMinusOne(@Nullable Duration duration) {
		return duration == null ? -1 : duration.toMillis();
	}

	private static @Nullable String withoutBars(@Nullable String text) {
		return text == null ? null : text.replace('|', '/');
	}

	/**
	 * A delta of answer (D) or thinking (T) text, split when too long for one
	 * notification.
	 */
	private static List<String> texts(char kind, String origin, LongSupplier seq, MessageEvent event, int offset,
			String text) {
		// the usual token: no need to count bytes
		if (text.length() * 3 <= MAX_TEXT_BYTES) {
			return List.of(head(kind, origin, seq, event) + '|' + offset + '|' + text);
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
			pieces.add(head(kind, origin, seq, event) + '|' + (offset + start) + '|' + text.substring(start, end));
			start = end;
		}
		return pieces;
	}

	private static String nullable(@Nullable String text) {
		return text == null ? "0" : "1" + text;
	}

	private static @Nullable String nullableDecode(String field) {
		return field.startsWith("1") ? field.substring(1) : null;
	}

}
