package dev.streamchat.tools.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.streamchat.chat.Messages;
import dev.streamchat.chat.SearchHit;
import dev.streamchat.model.ToolSpec;
import dev.streamchat.tools.LocalTool;
import dev.streamchat.tools.ToolContext;
import org.springframework.stereotype.Component;

/**
 * Full-text search over the user's other conversations, so the model can recall what was
 * said before.
 */
@Component
class ConversationSearchTool implements LocalTool {

	static final String NAME = "search_conversations";

	private static final int MAX_RESULTS = 20;

	private final Messages messages;

	ConversationSearchTool(Messages messages) {
		this.messages = messages;
	}

	@Override
	public ToolSpec spec() {
		return new ToolSpec(NAME,
				"Searches the user's earlier conversations (other chats) for messages containing "
						+ "the given words, newest first. Use it when the user refers to something discussed before.",
				Map.of("type", "object", "properties",
						Map.of("query", Map.of("type", "string", "description", "words to look for"), "limit",
								Map.of("type", "integer", "description", "most results to return, 1-20, default 5")),
						"required", List.of("query")));
	}

	@Override
	public Map<String, Object> run(Map<String, Object> args, ToolContext context) {
		String query = String.valueOf(args.getOrDefault("query", "")).strip();
		if (query.isEmpty()) {
			throw new IllegalArgumentException("no query given");
		}
		int limit = 5;
		if (args.get("limit") instanceof Number n) {
			limit = Math.clamp(n.intValue(), 1, MAX_RESULTS);
		}
		List<SearchHit> hits = messages.search(context.owner(), query, context.pane(), limit);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("query", query);
		result.put("matches", hits.stream().map(hit -> {
			Map<String, Object> match = new LinkedHashMap<>();
			match.put("conversation", hit.conversationTitle());
			match.put("role", hit.role().name().toLowerCase(Locale.ROOT));
			match.put("date", hit.createdAt().toString());
			match.put("text", hit.snippet());
			return match;
		}).toList());
		return result;
	}

}
