package dev.streamchat.model;

import java.util.Map;

/** The answer to a {@link ToolCall}: either a result or an error the model is told about. */
public record ToolResult(ToolCall call, Map<String, Object> result, String error) {

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
        return failed() ? Map.of("error", error) : result;
    }
}
