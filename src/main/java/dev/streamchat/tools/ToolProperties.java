package dev.streamchat.tools;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tool calling; see application.properties for each key.
 *
 * @param enabled declare the local tools to the model at all
 * @param maxRounds rounds of tool calls one answer may take before it is stopped with a
 * message
 * @param timeout longest a single tool may run before it counts as failed
 */
@ConfigurationProperties("chat.tools")
public record ToolProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5") int maxRounds,
		@DefaultValue("10s") Duration timeout) {
}
