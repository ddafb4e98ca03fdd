package dev.streamchat.streaming.internal;

import java.util.List;

import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelRequest.Author;
import dev.streamchat.model.ModelRequest.Turn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a long conversation sends: the latest turns that fit, whole exchanges left out
 * from the oldest on.
 */
class ConversationTurnsTest {

	// fitting never reads tool calls' JSON nor stored files
	@SuppressWarnings("NullAway")
	final ConversationTurns turns = new ConversationTurns(null, null);

	static Turn user(int chars) {
		return new Turn(Author.USER, "u".repeat(chars));
	}

	static Turn model(int chars) {
		return new Turn(Author.MODEL, "m".repeat(chars));
	}

	@Test
	void aConversationThatFitsIsSentWhole() {
		List<Turn> all = List.of(user(400), model(400), user(400));

		ConversationTurns.Fitted fitted = turns.fit(all, null, 1_000);

		assertThat(fitted.turns()).isEqualTo(all);
		assertThat(fitted.dropped()).isZero();
	}

	@Test
	void theOldestWholeExchangesAreLeftOutSoTheRequestStillBeginsWithAPrompt() {
		// 4 bytes a token: each turn of 2 000 ASCII characters is about 500 tokens
		List<Turn> all = List.of(user(2_000), model(2_000), model(2_000), user(2_000), model(2_000), user(2_000));

		ConversationTurns.Fitted fitted = turns.fit(all, null, 1_600);

		assertThat(fitted.turns()).containsExactly(all.get(3), all.get(4), all.get(5));
		assertThat(fitted.dropped()).isEqualTo(3);
		assertThat(fitted.turns().getFirst().author()).isEqualTo(ModelRequest.Author.USER);
	}

	@Test
	void theSystemInstructionTakesItsShareOfTheLimit() {
		List<Turn> all = List.of(user(2_000), model(2_000), user(2_000));

		assertThat(turns.fit(all, null, 1_600).dropped()).isZero();
		assertThat(turns.fit(all, "s".repeat(2_000), 1_600).dropped()).isEqualTo(2);
	}

	@Test
	void thePromptBeingAnsweredIsAlwaysSentEvenAlone() {
		List<Turn> all = List.of(user(2_000), model(2_000), user(40_000));

		ConversationTurns.Fitted fitted = turns.fit(all, null, 1_000);

		assertThat(fitted.turns()).containsExactly(all.get(2));
		assertThat(fitted.dropped()).isEqualTo(2);
	}

	@Test
	void textBeyondAsciiCountsByItsUtf8Bytes() {
		assertThat(ConversationTurns.estimate("abcd")).isEqualTo(1);
		assertThat(ConversationTurns.estimate("日本語の")).as("12 bytes").isEqualTo(3);
		assertThat(ConversationTurns.estimate("🚀")).as("4 bytes").isEqualTo(1);
	}

}
