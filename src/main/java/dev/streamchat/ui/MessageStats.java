package dev.streamchat.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Usage;
import org.jspecify.annotations.Nullable;

/**
 * The line under an answer that says how it went, and why the model stopped when that was
 * not normal.
 */
final class MessageStats {

	private MessageStats() {
	}

	/**
	 * Model, time to first token, output speed, token counts and, unless it is STOP, why
	 * the model stopped: "gemini-2.5-flash · first token 0.4 s · 52 tokens/s · 7 in · 120
	 * out · 64 thinking".
	 */
	static String line(@Nullable String model, Usage usage, Duration elapsed, @Nullable Duration firstToken,
			@Nullable String finishReason) {
		List<String> items = new ArrayList<>();
		if (model != null) {
			items.add(model);
		}
		if (firstToken != null) {
			items.add(String.format(Locale.ROOT, "first token %.1f s", firstToken.toMillis() / 1000.0));
		}
		Usage counts = usage == null ? Usage.NONE : usage;
		if (counts.outputTokens() > 0 && elapsed != null && firstToken != null) {
			long generatingMillis = elapsed.minus(firstToken).toMillis();
			if (generatingMillis > 0) {
				items
					.add(String.format(Locale.ROOT, "%.0f tokens/s", counts.totalOutput() * 1000.0 / generatingMillis));
			}
		}
		if (counts.inputTokens() > 0 || counts.outputTokens() > 0) {
			items.add(counts.inputTokens() + " in");
			items.add(counts.outputTokens() + " out");
		}
		if (counts.thoughtTokens() > 0) {
			items.add(counts.thoughtTokens() + " thinking");
		}
		String reason = reason(finishReason);
		if (reason != null) {
			items.add(reason);
		}
		return items.size() <= 1 && reason == null ? "" : String.join(" · ", items);
	}

	/**
	 * What an answer's header says once it has ended: "done · 2.4 s", "stopped · 0.8 s".
	 */
	static String outcome(MessageStatus status, Duration elapsed) {
		String time = seconds(elapsed);
		return switch (status) {
			case COMPLETE -> "done" + time;
			case FAILED -> "failed" + time;
			case STOPPED -> "stopped" + time;
			case INTERRUPTED -> "interrupted";
			case STREAMING -> "generating…";
		};
	}

	static String seconds(Duration elapsed) {
		return elapsed == null || elapsed.isZero() ? ""
				: String.format(Locale.ROOT, " · %.1f s", elapsed.toMillis() / 1000.0);
	}

	/** Why the model stopped, when it is not the normal end. */
	static @Nullable String reason(@Nullable String finishReason) {
		if (finishReason == null || finishReason.equals("STOP")) {
			return null;
		}
		return switch (finishReason) {
			case "MAX_TOKENS" -> "stopped: max tokens";
			case "SAFETY", "IMAGE_SAFETY" -> "blocked: safety";
			case "RECITATION" -> "blocked: recitation";
			case "BLOCKLIST", "PROHIBITED_CONTENT", "SPII" ->
				"blocked: " + finishReason.toLowerCase(Locale.ROOT).replace('_', ' ');
			case "MALFORMED_FUNCTION_CALL" -> "stopped: malformed tool call";
			case "TOOL_LIMIT" -> "stopped: tool-call limit";
			default -> "stopped: " + finishReason.toLowerCase(Locale.ROOT).replace('_', ' ');
		};
	}

}
