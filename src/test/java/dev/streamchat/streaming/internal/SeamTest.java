package dev.streamchat.streaming.internal;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seam of an answer taken up on another node: a model repeating the end of the
 * partial answer loses the repeat.
 */
class SeamTest {

	/**
	 * What the answer gets from these continuation chunks, then the end of the stream.
	 */
	static String through(String partial, List<String> chunks) {
		Seam seam = new Seam(partial);
		StringBuilder out = new StringBuilder();
		chunks.forEach(chunk -> out.append(seam.offer(chunk)));
		return out.append(seam.flush()).toString();
	}

	@Test
	void aRepeatedEndOfThePartialAnswerIsDropped() {
		String partial = "The quick brown fox jumps over the la";
		assertThat(partial + through(partial, List.of("fox jumps", " over the lazy dog.")))
			.isEqualTo("The quick brown fox jumps over the lazy dog.");
	}

	@Test
	void aRepeatSplitIntoSingleCharactersIsDroppedToo() {
		String partial = "First sentence. Second sentence is cut he";
		String continuation = "Second sentence is cut here, and goes on.";
		List<String> chars = continuation.chars().mapToObj(c -> String.valueOf((char) c)).toList();
		assertThat(partial + through(partial, chars))
			.isEqualTo("First sentence. Second sentence is cut here, and goes on.");
	}

	@Test
	void newTextPassesUnchangedAndIsHeldOnlyBriefly() {
		Seam seam = new Seam("Hello world. ");
		assertThat(seam.offer("How are you?")).isEqualTo("How are you?");
		assertThat(seam.decided()).isTrue();
		assertThat(seam.offer(" Fine.")).isEqualTo(" Fine.");
	}

	@Test
	void aShortCoincidentalOverlapIsKept() {
		String partial = "Send it to be";
		assertThat(partial + through(partial, List.of("e", "-mail addresses only.")))
			.isEqualTo("Send it to bee-mail addresses only.");
	}

	@Test
	void aWholeShortPartialAnswerRepeatedIsDropped() {
		assertThat("Hi" + through("Hi", List.of("Hi there", "!"))).isEqualTo("Hi there!");
	}

	@Test
	void textThatStopsWhileItCouldStillBeARepeatIsKeptAsItCame() {
		String partial = "alpha beta gamma delta";
		assertThat(through(partial, List.of("beta gam"))).isEqualTo("beta gam");
	}

	@Test
	void aPartialAnswerOfNothingPassesEverythingAtOnce() {
		Seam seam = new Seam("");
		assertThat(seam.offer("Everything")).isEqualTo("Everything");
	}

}
