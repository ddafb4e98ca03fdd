package dev.streamchat.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.ui.markdown.MarkdownRenderer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push thread renders a streaming reply's markdown ahead of the session lock; the
 * row, applying the same text under the lock, must find every block and tail it shows
 * there and show exactly what rendering it itself would have shown.
 */
class PreparedMarkdownTest {

	private static final MessageId REPLY = new MessageId(7);

	private static final String ANSWER = """
			# Plan

			First paragraph with **bold** text
			that goes on.

			```java
			int x = 1;
			```

			- one
			- two

			Last words, still open""";

	private final MarkdownRenderer markdown = new MarkdownRenderer();

	@Test
	void aStreamingRowTakesEveryBlockAndTailRenderedAheadAndShowsWhatItWouldHaveRendered() {
		PreparedMarkdown prepared = new PreparedMarkdown(markdown, 4_000);
		MarkdownFlow ahead = new MarkdownFlow(prepared.renderer(), 4_000);
		MarkdownFlow plain = new MarkdownFlow(markdown, 4_000);

		int offset = 0;
		// pushes of one to three deltas of 1-9 characters, as the frame coalescing groups
		// them
		List<String> deltas = pieces(ANSWER);
		int i = 0;
		while (i < deltas.size()) {
			StringBuilder push = new StringBuilder();
			for (int n = 0; n < 1 + i % 3 && i < deltas.size(); n++, i++) {
				String text = deltas.get(i);
				prepared.follow(new MessageEvent.Delta(new ConversationId(1), REPLY, offset, text), Optional::empty);
				offset += text.length();
				push.append(text);
			}
			prepared.renderTails();
			ahead.append(push.toString());
			plain.append(push.toString());
			assertThat(prepared.waiting()).as("all markup rendered ahead was taken").isZero();
		}
		assertThat(ahead.getElement().getOuterHTML()).isEqualTo(plain.getElement().getOuterHTML());
	}

	@Test
	void aReplyJoinedMidwayIsFollowedFromTheTextSoFarAndADeltaAlreadyInItIsNotAppliedTwice() {
		PreparedMarkdown prepared = new PreparedMarkdown(markdown, 4_000);
		String soFar = "Intro.\n\nSecond block";
		// the row was built from the text so far, as a pane opened mid-answer builds it
		MarkdownFlow ahead = new MarkdownFlow(prepared.renderer(), 4_000);
		MarkdownFlow plain = new MarkdownFlow(markdown, 4_000);
		ahead.append(soFar);
		plain.append(soFar);

		prepared.follow(new MessageEvent.Delta(new ConversationId(1), REPLY, 12, "nd block"), () -> Optional.of(soFar));
		prepared.follow(new MessageEvent.Delta(new ConversationId(1), REPLY, soFar.length(), " grows\n\nThird"),
				Optional::empty);
		prepared.renderTails();
		ahead.append(" grows\n\nThird");
		plain.append(" grows\n\nThird");

		assertThat(prepared.waiting()).as("all markup rendered ahead was taken").isZero();
		assertThat(ahead.getElement().getOuterHTML()).isEqualTo(plain.getElement().getOuterHTML());
	}

	private static List<String> pieces(String text) {
		List<String> pieces = new ArrayList<>();
		for (int i = 0, n = 1; i < text.length(); i += n, n = n % 9 + 1) {
			pieces.add(text.substring(i, Math.min(text.length(), i + n)));
		}
		return pieces;
	}

}
