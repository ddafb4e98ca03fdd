package dev.streamchat.ui;

import java.util.List;
import java.util.Optional;

import dev.streamchat.chat.Role;
import dev.streamchat.ui.markdown.Markup;

/**
 * A button of a message's header. The buttons are markup; the pane's one click listener
 * (frontend/actions.js) reports the message and the button's {@link #key}, and the pane
 * runs the action for that message ({@link RowActions}): no row keeps a handler of its
 * own.
 */
enum MessageAction {

	EDIT("Edit", "edit-prompt", "Edit and send again"),

	REGENERATE("Regenerate", "regenerate", "Answer this prompt again"),

	/** The answer as markdown, read from storage when asked for. */
	COPY("Copy", "copy-answer", "Copy answer as markdown"),

	/** The browser asks once more before it reports this one: it cannot be undone. */
	DELETE("Delete", "delete-exchange", "Delete this prompt and its answer"),

	PREVIOUS_VERSION("‹", "previous-version", "Previous version"),

	NEXT_VERSION("›", "next-version", "Next version");

	private final String label;

	private final String key;

	private final String ariaLabel;

	MessageAction(String label, String key, String ariaLabel) {
		this.label = label;
		this.key = key;
		this.ariaLabel = ariaLabel;
	}

	/** The name the button carries ({@code data-action}) and its class. */
	String key() {
		return key;
	}

	/** The buttons a message of this role offers in its header (versions aside). */
	static List<MessageAction> offeredTo(Role role) {
		return role == Role.USER ? List.of(EDIT, DELETE) : List.of(REGENERATE, COPY, DELETE);
	}

	static Optional<MessageAction> named(String key) {
		for (MessageAction action : values()) {
			if (action.key.equals(key)) {
				return Optional.of(action);
			}
		}
		return Optional.empty();
	}

	String button(boolean disabled) {
		return Markup.actionButton(label, key, ariaLabel, disabled);
	}

}
