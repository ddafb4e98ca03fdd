package dev.streamchat.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Model answers for the scenarios. Every marker {@code zq<stream>x<seq>k} occurs once in
 * the whole run, so the page can tell exactly when each piece of text first appeared.
 */
final class Scripts {

	private Scripts() {
	}

	static String marker(int stream, int seq) {
		return "zq" + stream + "x" + seq + "k";
	}

	/**
	 * {@code count} chunks of about {@code chars} characters, each starting with its
	 * marker; a paragraph every 4 or 5.
	 */
	static List<String> markedChunks(int stream, int count, int chars, int paragraphEvery) {
		List<String> chunks = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			StringBuilder chunk = new StringBuilder(marker(stream, i)).append(' ');
			int word = 0;
			while (chunk.length() < chars - 3) {
				chunk.append(WORDS[(i * 7 + word++) % WORDS.length]).append(' ');
			}
			chunk.setLength(chars - 2);
			chunk.append(i % paragraphEvery == paragraphEvery - 1 ? ".\n\n" : ". ");
			chunks.add(chunk.toString());
		}
		return chunks;
	}

	/**
	 * As {@link #markedChunks}, but with words drawn (Zipf-distributed, seeded) from a
	 * vocabulary of 5 000 made-up words, so that the text compresses about as prose does
	 * rather than as the repeated sentence of {@link #markedChunks}: storage that
	 * compresses (PostgreSQL's TOAST, H2's {@code COMPRESS}) is not flattered by it.
	 */
	static List<String> variedChunks(int stream, int count, int chars, int paragraphEvery) {
		Random random = new Random(stream);
		String[] vocabulary = new String[5_000];
		for (int w = 0; w < vocabulary.length; w++) {
			StringBuilder word = new StringBuilder();
			int syllables = 1 + random.nextInt(4);
			for (int k = 0; k < syllables; k++) {
				word.append("bcdfghjklmnprstvwz".charAt(random.nextInt(18))).append("aeiou".charAt(random.nextInt(5)));
				if (random.nextInt(3) == 0) {
					word.append("nrst".charAt(random.nextInt(4)));
				}
			}
			vocabulary[w] = word.toString();
		}
		// Zipf (s = 1): word w is drawn with weight 1 / (w + 1)
		double[] cumulative = new double[vocabulary.length];
		double sum = 0;
		for (int w = 0; w < vocabulary.length; w++) {
			sum += 1.0 / (w + 1);
			cumulative[w] = sum;
		}
		List<String> chunks = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			StringBuilder chunk = new StringBuilder(marker(stream, i)).append(' ');
			while (chunk.length() < chars - 3) {
				int w = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
				chunk.append(vocabulary[w < 0 ? -w - 1 : w]).append(' ');
			}
			chunk.setLength(chars - 2);
			chunk.append(i % paragraphEvery == paragraphEvery - 1 ? ".\n\n" : ". ");
			chunks.add(chunk.toString());
		}
		return chunks;
	}

	/**
	 * As {@link #markedChunks}, but every tenth chunk closes its paragraph with inline
	 * and display math and a fenced Java block of about the same size: the highlighting
	 * and math rendering a real answer brings, settled once per block (issue 11's
	 * long-answer figure with rich content).
	 */
	static List<String> richChunks(int stream, int count, int chars, int paragraphEvery) {
		List<String> chunks = markedChunks(stream, count, chars, paragraphEvery);
		for (int i = 9; i < count; i += 10) {
			String plain = chunks.get(i);
			int keep = Math.max(marker(stream, i).length() + 1, plain.length() - RICH_TAIL.length());
			chunks.set(i, plain.substring(0, keep) + RICH_TAIL);
		}
		return chunks;
	}

	private static final String RICH_TAIL = """
			 with $e^{i\\pi} + 1 = 0$.

			$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$

			```java
			record Point(int x, int y) {
			    int dot(Point o) { return x * o.x + y * o.y; }
			}
			```

			""";

	/**
	 * Tiny chunks (1–3 chars) of a text with a marker every ~30 characters; markers span
	 * chunks.
	 */
	record Tiny(List<String> chunks, List<String> markers, List<Integer> completedBy) {
	}

	static Tiny tiny(int stream, int count) {
		Random random = new Random(7);
		int[] lengths = new int[count];
		int total = 0;
		for (int i = 0; i < count; i++) {
			lengths[i] = 1 + random.nextInt(3);
			total += lengths[i];
		}
		StringBuilder text = new StringBuilder();
		List<String> markers = new ArrayList<>();
		List<Integer> markerEnds = new ArrayList<>();
		int word = 0;
		while (text.length() < total) {
			String marker = marker(stream, markers.size());
			text.append(marker).append(' ');
			markers.add(marker);
			markerEnds.add(text.length() - 2); // index of the marker's last character
			for (int w = 0; w < 4; w++) {
				text.append(WORDS[word++ % WORDS.length]).append(w == 3 && markers.size() % 8 == 0 ? ".\n\n" : " ");
			}
		}
		List<String> chunks = new ArrayList<>(count);
		List<Integer> completedBy = new ArrayList<>();
		int at = 0;
		int nextMarker = 0;
		for (int i = 0; i < count; i++) {
			int end = at + lengths[i];
			chunks.add(text.substring(at, end));
			while (nextMarker < markers.size() && markerEnds.get(nextMarker) < end) {
				completedBy.add(i);
				nextMarker++;
			}
			at = end;
		}
		return new Tiny(chunks, markers.subList(0, completedBy.size()), completedBy);
	}

	private static final String[] WORDS = ("streaming tokens arrive quickly and the screen shows each one as soon as "
			+ "it can while storage keeps everything safe in batches of text written behind the scenes")
		.split(" ");

}
