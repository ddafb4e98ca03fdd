package dev.streamchat.model;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A function the model asked to run. {@code id} is the provider's call id when it sends
 * one (echoed in the response so parallel calls can be told apart), otherwise null.
 */
public record ToolCall(@Nullable String id, String name, Map<String, Object> args) {

	public ToolCall {
		args = args == null ? Map.of() : Map.copyOf(args);
	}
}
