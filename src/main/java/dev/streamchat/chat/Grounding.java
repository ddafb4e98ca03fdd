package dev.streamchat.chat;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The web sources behind an answer, as stored with it and shown under it: numbered
 * sources (the number is the position in {@code sources} plus one), citations that put
 * source numbers after a piece of the answer, the queries the model searched for,
 * Google's search entry point (HTML to be shown as provided, null when none) and a plain
 * notice for the user (null when none).
 */
public record Grounding(List<Source> sources, List<Citation> citations, List<String> queries,
		@Nullable String searchEntryPoint, @Nullable String notice) {

	public Grounding {
		sources = sources == null ? List.of() : List.copyOf(sources);
		citations = citations == null ? List.of() : List.copyOf(citations);
		queries = queries == null ? List.of() : List.copyOf(queries);
	}

	/**
	 * A web page: its title, link and domain as the model reported them (any may be
	 * null).
	 */
	public record Source(@Nullable String title, @Nullable String uri, @Nullable String domain) {
	}

	/**
	 * Source numbers (1-based) to show after answer offset {@code end} (UTF-16 units),
	 * where the supported piece of text ends.
	 */
	public record Citation(int end, List<Integer> sources) {

		public Citation {
			sources = sources == null ? List.of() : List.copyOf(sources);
		}
	}
}
