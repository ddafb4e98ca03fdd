package dev.streamchat.streaming.internal;

/**
 * The start of an answer taken up again after a server went away: asked to continue, a
 * model often first repeats the end of what it had written (the sentence it was in, or a
 * few words). This holds the continuation's first text back until it can tell, and drops
 * a repeat of the partial answer's end, so that no sentence appears twice at the seam.
 * <p>
 * A repeat is the longest start of the continuation that equals an end of the partial
 * answer, of at least {@link #MIN_OVERLAP} characters (or the whole partial answer):
 * shorter matches are taken for coincidence ("…to be" followed by "e-mail…" keeps its
 * "e"). Text is held only while it could still grow into such a repeat, which for new
 * text is a few characters; at most {@link #WINDOW} characters of the partial answer are
 * compared.
 * <p>
 * Used by one thread (the generation's).
 */
final class Seam {

	static final int MIN_OVERLAP = 8;
	static final int WINDOW = 2_000;

	private final String tail;

	private final StringBuilder held = new StringBuilder();

	private boolean decided;

	/**
	 * @param partial the answer as stored when it was taken up
	 */
	Seam(String partial) {
		this.tail = partial.substring(Math.max(0, partial.length() - WINDOW));
		this.decided = tail.isEmpty();
	}

	/**
	 * Takes the next text of the continuation.
	 * @return what may go on to the answer now: empty while undecided, then the text held
	 * (less the repeat) and from then on each chunk as it is
	 */
	String offer(String chunk) {
		if (decided) {
			return chunk;
		}
		held.append(chunk);
		if (held.length() < WINDOW && couldGrowIntoRepeat()) {
			return "";
		}
		return decide();
	}

	/** Something other than text came, or the stream ended: decides with what is held. */
	String flush() {
		return decided ? "" : decide();
	}

	boolean decided() {
		return decided;
	}

	/**
	 * Whether an end of the partial answer longer than what is held starts with what is
	 * held.
	 */
	private boolean couldGrowIntoRepeat() {
		String start = held.toString();
		for (int at = tail.indexOf(start); at >= 0; at = tail.indexOf(start, at + 1)) {
			if (tail.length() - at > start.length()) {
				return true;
			}
		}
		return false;
	}

	private String decide() {
		decided = true;
		String start = held.toString();
		held.setLength(0);
		int longest = Math.min(start.length(), tail.length());
		for (int k = longest; k > 0; k--) {
			if (k < MIN_OVERLAP && k < tail.length()) {
				break;
			}
			if (start.startsWith(tail.substring(tail.length() - k))) {
				return start.substring(k);
			}
		}
		return start;
	}

}
