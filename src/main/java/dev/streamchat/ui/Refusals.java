package dev.streamchat.ui;

import com.vaadin.flow.component.html.Span;
import dev.streamchat.history.ConversationBusyException;
import dev.streamchat.streaming.PromptRejectedException;
import org.jspecify.annotations.Nullable;

/**
 * Shows above a pane's prompt why the user's latest command was refused (empty prompt,
 * still streaming, limit reached…), until a command goes through.
 */
final class Refusals {

	private final Span message = new Span();

	Refusals() {
		message.addClassName("prompt-error");
		message.setVisible(false);
	}

	/** The element that shows the refusal. */
	Span component() {
		return message;
	}

	/**
	 * Runs a command of the user's; a refusal is shown, and cleared by the next command
	 * that goes through.
	 * @return whether it went through
	 */
	boolean attempt(Runnable command) {
		try {
			command.run();
			message.setVisible(false);
			return true;
		}
		catch (PromptRejectedException | ConversationBusyException rejected) {
			message.setText(rejected.getMessage());
			message.setVisible(true);
			return false;
		}
	}

	/** Shows {@code refusal}, or nothing when it is null. */
	void show(@Nullable String refusal) {
		message.setText(refusal == null ? "" : refusal);
		message.setVisible(refusal != null);
	}

}
