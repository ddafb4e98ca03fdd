package dev.streamchat.model;

import java.util.Map;

/**
 * A function declared to the model: its name, what it does, and its parameters as JSON
 * Schema.
 */
public record ToolSpec(String name, String description, Map<String, Object> parameters) {
}
