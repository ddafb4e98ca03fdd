package dev.streamchat.model;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the model port; see application.properties for each key.
 *
 * @param apiKey Gemini API key; blank selects the offline demo model
 * @param baseUrl overrides the Gemini endpoint (proxies, tests); blank keeps the SDK's
 * default
 * @param apiVersion API version path segment ({@code v1beta} or {@code v1})
 * @param models models offered in each pane's picker
 * @param defaultModel model for new panes
 * @param connectTimeout connection set-up limit
 * @param idleTimeout longest silence tolerated inside a stream before it counts as
 * stalled
 * @param includeThoughts ask thinking models for thought summaries, shown apart from the
 * answer
 * @param demo the offline demo model's pace
 */
@ConfigurationProperties("chat.model")
public record ModelProperties(@Nullable String apiKey, @Nullable String baseUrl,
		@DefaultValue("v1beta") String apiVersion, @DefaultValue( {
				"gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash-lite" }) List<String> models,
		@DefaultValue("gemini-2.5-flash") String defaultModel, @DefaultValue("10s") Duration connectTimeout,
		@DefaultValue("60s") Duration idleTimeout, @DefaultValue("true") boolean includeThoughts,
		@DefaultValue Demo demo){

	public boolean hasApiKey() {
		return apiKey != null && !apiKey.isBlank();
	}

	/**
	 * @param chunkDelay pause between streamed chunks, like a real model's pace
	 * @param firstDelay pause before the first chunk, like a real model's time to first
	 * token
	 */
	public record Demo(@DefaultValue("35ms") Duration chunkDelay, @DefaultValue("400ms") Duration firstDelay) {
	}

	@Override
	public String toString() {
		// never print the key
		return "ModelProperties[apiKey=" + (hasApiKey() ? "***" : "none") + ", baseUrl=" + baseUrl + ", apiVersion="
				+ apiVersion + ", models=" + models + ", defaultModel=" + defaultModel + "]";
	}
}
