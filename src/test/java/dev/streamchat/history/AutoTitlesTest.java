package dev.streamchat.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Tidying the model's title, and the first-words fallback. */
class AutoTitlesTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "\"Bike Lock Codes\"|Bike Lock Codes", "**Bike Lock Codes**.|Bike Lock Codes",
			"Title: Sourdough care in summer|Sourdough care in summer", "# Otters!|Otters" })
	void theModelsAnswerIsTidiedToOneLine(String raw, String title) {
		assertThat(AutoTitles.clean(raw)).contains(title);
	}

	@Test
	void onlyTheFirstLineCounts() {
		assertThat(AutoTitles.clean("\n  “Rivers   of Europe”  \n\nSome explanation the model added"))
			.contains("Rivers of Europe");
	}

	@Test
	void anEmptyOrOverlongAnswerIsHandled() {
		assertThat(AutoTitles.clean(" \n \"\" ")).isEmpty();
		String title = AutoTitles.clean("word ".repeat(30)).orElseThrow();
		assertThat(title).hasSizeLessThanOrEqualTo(AutoTitles.MAX_CHARS).endsWith("…");
	}

	@Test
	void theFallbackIsThePromptsFirstWordsWithoutMarkup() {
		assertThat(AutoTitles.firstWords("explain `git rebase`   **please**")).isEqualTo("Explain git rebase please");
		assertThat(AutoTitles.firstWords("one two three four five six seven"))
			.isEqualTo("One two three four five six…");
		assertThat(AutoTitles.firstWords("x".repeat(200))).hasSize(AutoTitles.MAX_CHARS).endsWith("…");
	}

}
