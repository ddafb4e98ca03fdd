package dev.streamchat.ui;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.vaadin.flow.component.html.Span;
import dev.streamchat.chat.MessageStatus;
import org.jspecify.annotations.Nullable;

/**
 * What a screen reader hears about a pane's answer: one visually hidden polite status
 * region ("gemini-2.5-flash is answering", "done", "stopped", "retrying in 3 s") and an
 * assertive one for failures. Written when an answer starts, retries and ends; never per
 * token.
 */
final class PaneAnnouncer {

	private static final Pattern RETRY_IN = Pattern.compile("in (\\d+) s");

	/** A failure is read out whole: a long one is cut, the rest is on screen. */
	private static final int MAX_REASON = 160;

	private final Span status = new Span();

	private final Span alert = new Span();

	PaneAnnouncer() {
		status.addClassNames("pane-status", "visually-hidden");
		status.getElement().setAttribute("role", "status");
		status.getElement().setAttribute("aria-live", "polite");
		alert.addClassNames("pane-alert", "visually-hidden");
		alert.getElement().setAttribute("role", "alert");
		alert.getElement().setAttribute("aria-live", "assertive");
	}

	Span[] regions() {
		return new Span[] { status, alert };
	}

	void answering(@Nullable String model) {
		if (!alert.getText().isEmpty()) {
			// so that the same failure, should it come again, is read again
			alert.setText("");
		}
		status.setText((model == null || model.isBlank() ? "The model" : model) + " is answering");
	}

	/**
	 * @param detail the phase's detail, e.g. "rate limited: retrying (2/4) in 3 s"
	 */
	void retrying(@Nullable String detail) {
		Matcher seconds = RETRY_IN.matcher(detail == null ? "" : detail);
		status.setText(seconds.find() ? "retrying in " + seconds.group(1) + " s" : "retrying");
	}

	void finished(MessageStatus outcome, @Nullable String error) {
		switch (outcome) {
			case COMPLETE -> status.setText("done");
			case STOPPED -> status.setText("stopped");
			case FAILED, INTERRUPTED -> {
				String reason = error == null || error.isBlank() ? outcome.name().toLowerCase(Locale.ROOT)
						: error.strip();
				if (reason.length() > MAX_REASON) {
					reason = reason.substring(0, MAX_REASON) + "…";
				}
				status.setText("");
				alert.setText("failed: " + reason);
			}
			case STREAMING -> {
				// not an end
			}
		}
	}

}
