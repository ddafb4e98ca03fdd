package dev.streamchat.streaming.internal;

import java.util.Map;

import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tool arguments and results as stored with a reply's parts: written as JSON when a call
 * is made or ends, read back into the objects the model is sent when the conversation
 * continues. The one JSON mapper of the streaming module, the one Spring Boot configures.
 */
@Component
public class ToolJson {

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final JsonMapper json;

	ToolJson(JsonMapper json) {
		this.json = json;
	}

	public String write(Object value) {
		try {
			return json.writeValueAsString(value);
		}
		catch (JacksonException e) {
			return String.valueOf(value);
		}
	}

	/**
	 * A stored JSON object; blank: empty; not an object: the text as {@code value}, so
	 * nothing is lost.
	 */
	public Map<String, Object> read(String stored) {
		if (stored == null || stored.isBlank()) {
			return Map.of();
		}
		try {
			return json.readValue(stored, OBJECT);
		}
		catch (JacksonException e) {
			return Map.of("value", stored);
		}
	}

}
