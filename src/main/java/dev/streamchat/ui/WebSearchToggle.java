package dev.streamchat.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import dev.streamchat.chat.Conversation;
import dev.streamchat.history.Conversations;

/**
 * A pane's "Search the web" switch: on, the model may ground its answers in Google Search
 * (and read pages a prompt links to), and each grounded answer lists its sources.
 * Remembered with the conversation; a change shows in the user's other tabs like any
 * other setting.
 */
final class WebSearchToggle extends Button {

	private boolean on;

	WebSearchToggle(Conversation pane, Conversations conversations) {
		super("🌐");
		addClassName("web-search-toggle");
		addThemeVariants(ButtonVariant.LUMO_TERTIARY);
		setAriaLabel("Search the web");
		setTooltipText("Search the web: answers cite their sources");
		show(pane.webSearch());
		addClickListener(e -> {
			show(!on);
			conversations.changeWebSearch(pane.owner(), pane.id(), on);
		});
	}

	boolean isOn() {
		return on;
	}

	/** The setting as stored now (changed here or in another tab). */
	void show(boolean searching) {
		on = searching;
		getElement().setAttribute("aria-pressed", Boolean.toString(searching));
		setClassName("on", searching);
	}

}
