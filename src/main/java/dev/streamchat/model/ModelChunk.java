package dev.streamchat.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one streamed event added: answer text, thought-summary text (shown apart, never
 * part of the answer), and tool calls the model wants run. {@code finishReason} and
 * {@code usage} are null until the model reports them (usually on the last chunk),
 * {@code grounding} unless the model searched the web for this round (usually on its last
 * chunk too).
 */
public record ModelChunk(String text, String thought, List<ToolCall> toolCalls, @Nullable String finishReason,
		@Nullable TokenCounts usage, @Nullable SearchGrounding grounding) {

	public ModelChunk {
		text = withoutNul(text);
		thought = withoutNul(thought);
		toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
	}

	public ModelChunk(String text, String thought, List<ToolCall> toolCalls, @Nullable String finishReason,
			@Nullable TokenCounts usage) {
		this(text, thought, toolCalls, finishReason, usage, null);
	}

	public static ModelChunk grounding(SearchGrounding grounding) {
		return new ModelChunk("", "", List.of(), null, null, grounding);
	}

	/**
	 * U+0000 is dropped: PostgreSQL refuses it in text (the append and a whole NOTIFY
	 * batch with it would fail), and it means nothing on screen. So are U+E000 and
	 * U+E001, the private-use characters the screen marks citations with: model text
	 * cannot forge a citation marker.
	 */
	private static String withoutNul(String s) {
		if (s == null) {
			return "";
		}
		if (s.indexOf('\0') >= 0) {
			s = s.replace("\0", "");
		}
		if (s.indexOf('\uE000') >= 0 || s.indexOf('\uE001') >= 0) {
			s = s.replace("\uE000", "").replace("\uE001", "");
		}
		return s;
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
