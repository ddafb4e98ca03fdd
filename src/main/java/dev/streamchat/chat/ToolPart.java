package dev.streamchat.chat;

import org.jspecify.annotations.Nullable;

/**
 * A tool call inside a reply: part {@code seq} (0, 1, …) of the reply's non-text parts,
 * standing at text offset {@code anchor} of the answer. Arguments and result are JSON as
 * the model sees them.
 */
public record ToolPart(int seq, int anchor, String name, String argsJson, ToolStatus status,
		@Nullable String resultJson, @Nullable String error) {

	public enum ToolStatus {

		RUNNING, DONE, FAILED;

		public boolean isFinal() {
			return this != RUNNING;
		}

	}

	public ToolPart done(String result) {
		return new ToolPart(seq, anchor, name, argsJson, ToolStatus.DONE, result, null);
	}

	public ToolPart failed(String message) {
		return new ToolPart(seq, anchor, name, argsJson, ToolStatus.FAILED, null, message);
	}
}
