package dev.streamchat.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the model said about the web sources behind an answer ({@code groundingMetadata}),
 * as it sent it: sources in the model's order, supports that tie a segment of the round's
 * text to sources, the queries it searched for, and Google's search entry point (HTML
 * that Google requires to be shown as provided). {@code notice} is a plain sentence for
 * the user about how search was used (for instance that the app's tools were left out
 * because the model refuses both together); null when there is nothing to say.
 */
public record SearchGrounding(List<Source> sources, List<Support> supports, List<String> queries,
		@Nullable String searchEntryPoint, @Nullable String notice) {

	public SearchGrounding {
		sources = sources == null ? List.of() : List.copyOf(sources);
		supports = supports == null ? List.of() : List.copyOf(supports);
		queries = queries == null ? List.of() : List.copyOf(queries);
	}

	public static SearchGrounding notice(String notice) {
		return new SearchGrounding(List.of(), List.of(), List.of(), null, notice);
	}

	/**
	 * A web page the answer drew on; {@code domain} may be null (older API versions send
	 * only the title).
	 */
	public record Source(@Nullable String title, @Nullable String uri, @Nullable String domain) {
	}

	/**
	 * A segment of the round's answer text and the sources (indices into
	 * {@link #sources()}) behind it. {@code startByte}/{@code endByte} are UTF-8 byte
	 * offsets into the round's text, as Gemini counts them; {@code text} is the segment
	 * itself, which locates it more reliably.
	 */
	public record Support(int startByte, int endByte, @Nullable String text, List<Integer> sourceIndices) {

		public Support {
			sourceIndices = sourceIndices == null ? List.of() : List.copyOf(sourceIndices);
		}
	}
}
