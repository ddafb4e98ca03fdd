package dev.streamchat.model;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a {@link ToolCall}: either a result or an error the model is told about.
 */
public record ToolResult(ToolCall call, @Nullable Map<String, Object> result, @Nullable String error) {

	public static ToolResult ok(ToolCall call, Map<String, Object> result) {
		return new ToolResult(call, Map.copyOf(result), null);
	}

	public static ToolResult failed(ToolCall call, String error) {
		return new ToolResult(call, null, error);
	}

	public boolean failed() {
		return error != null;
	}

	/** The {@code functionResponse.response} object sent back to the model. */
	public Map<String, Object> response() {
		// ok() and failed() are the only constructors in use: exactly one of result and
		// error is set
		return error != null ? Map.of("error", error) : Objects.requireNonNull(result);
	}
}
