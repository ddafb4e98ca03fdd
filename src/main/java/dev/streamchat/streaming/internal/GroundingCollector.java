package dev.streamchat.streaming.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.streamchat.chat.Grounding;
import dev.streamchat.model.SearchGrounding;
import org.jspecify.annotations.Nullable;

/**
 * Collects the web sources of one answer from the grounding the model sends (once or a
 * few times per round, in any round): sources numbered once each across the whole answer
 * (the same page is one number), and each supported segment turned from Gemini's UTF-8
 * byte offsets into the round's text into an offset of the whole answer (UTF-16 units),
 * where its markers go. Not thread-safe: the generation's thread uses it, under the
 * generation's lock.
 */
final class GroundingCollector {

	private final List<Grounding.Source> sources = new ArrayList<>();

	private final Map<String, Integer> numberByUri = new HashMap<>();

	private final Set<Grounding.Citation> citations = new LinkedHashSet<>();

	private final Set<String> queries = new LinkedHashSet<>();

	private @Nullable String entryPoint;

	private @Nullable String notice;

	boolean isEmpty() {
		return sources.isEmpty() && entryPoint == null && notice == null && queries.isEmpty();
	}

	/**
	 * Adds what one chunk said.
	 * @param answer the answer so far
	 * @param roundStart where the round that sent it began in {@code answer}
	 */
	Grounding add(SearchGrounding grounding, CharSequence answer, int roundStart) {
		List<Integer> numbers = new ArrayList<>();
		for (SearchGrounding.Source source : grounding.sources()) {
			numbers.add(number(source));
		}
		String round = answer.subSequence(Math.min(roundStart, answer.length()), answer.length()).toString();
		for (SearchGrounding.Support support : grounding.supports()) {
			List<Integer> cited = support.sourceIndices()
				.stream()
				.filter(i -> i >= 0 && i < numbers.size() && numbers.get(i) != null)
				.map(numbers::get)
				.distinct()
				.sorted()
				.toList();
			if (!cited.isEmpty()) {
				int end = end(round, support);
				if (end >= 0) {
					citations.add(new Grounding.Citation(roundStart + end, cited));
				}
			}
		}
		queries.addAll(grounding.queries());
		if (grounding.searchEntryPoint() != null && !grounding.searchEntryPoint().isBlank()) {
			entryPoint = grounding.searchEntryPoint();
		}
		if (grounding.notice() != null) {
			notice = grounding.notice();
		}
		return current();
	}

	Grounding current() {
		List<Grounding.Citation> ordered = citations.stream()
			.sorted(Comparator.comparingInt(Grounding.Citation::end))
			.toList();
		return new Grounding(sources, ordered, List.copyOf(queries), entryPoint, notice);
	}

	/**
	 * The source's number, 1-based; a page cited before keeps its number. Null for a
	 * source that is no web page.
	 */
	private @Nullable Integer number(SearchGrounding.Source source) {
		String uri0 = source.uri();
		if (uri0 == null || uri0.isBlank()) {
			return null;
		}
		return numberByUri.computeIfAbsent(uri0, uri -> {
			sources.add(new Grounding.Source(source.title(), uri, source.domain()));
			return sources.size();
		});
	}

	/**
	 * Where a supported segment ends in the round's text: found by its text near where
	 * its byte offsets say (they count UTF-8 bytes, which differ from characters outside
	 * ASCII), else by the offsets alone; then moved to the end of a word, so a marker
	 * never splits one. -1 when it lies beyond the text.
	 */
	static int end(String round, SearchGrounding.Support support) {
		int byOffsets = charIndex(round, support.endByte());
		int end = -1;
		String segment = support.text();
		if (segment != null && !segment.isBlank()) {
			int near = Math.max(0, charIndex(round, support.startByte()) - 8);
			int found = round.indexOf(segment, near);
			if (found < 0) {
				found = round.indexOf(segment);
			}
			if (found >= 0) {
				end = found + segment.length();
			}
		}
		if (end < 0) {
			if (support.endByte() <= 0 || byOffsets < 0) {
				return -1;
			}
			end = byOffsets;
		}
		while (end < round.length() && end > 0 && Character.isLetterOrDigit(round.charAt(end - 1))
				&& Character.isLetterOrDigit(round.charAt(end))) {
			end++;
		}
		return end;
	}

	/**
	 * The character index at UTF-8 byte offset {@code bytes} of {@code text}; -1 beyond
	 * its end.
	 */
	static int charIndex(String text, int bytes) {
		int counted = 0;
		for (int i = 0; i < text.length(); i++) {
			if (counted >= bytes) {
				return i;
			}
			int cp = text.codePointAt(i);
			counted += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
			if (Character.isSupplementaryCodePoint(cp)) {
				i++;
			}
		}
		return counted >= bytes ? text.length() : -1;
	}

}
