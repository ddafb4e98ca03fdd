package dev.streamchat.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import dev.streamchat.chat.Conversation;

/**
 * A pane's header: the conversation's title, its model picker and web-search switch as
 * stored, the toggle of its settings and the button that closes the pane.
 */
final class PaneHeader extends Div {

	private final Span title = new Span();

	private final Select<String> model = new Select<>();

	private final WebSearchToggle webSearch;

	private final ChatPaneContext context;

	/**
	 * @param settings shown and hidden by the ⚙ button
	 * @param onClose runs when × is clicked
	 */
	PaneHeader(Conversation pane, ChatPaneContext context, PaneSettings settings, Runnable onClose) {
		this.context = context;
		title.setText(pane.title());
		title.addClassName("pane-title");
		model.addClassName("model-picker");
		model.setItems(context.catalog().models());
		model.setValue(context.catalog().resolve(pane.model()));
		model.setEnabled(context.catalog().models().size() > 1);
		model.setAriaLabel("Model");
		model.addValueChangeListener(e -> {
			if (e.isFromClient() && e.getValue() != null) {
				context.conversations().changeModel(pane.owner(), pane.id(), e.getValue());
			}
		});
		Button close = new Button("×", e -> onClose.run());
		close.addClassName("close-pane");
		close.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
		close.setAriaLabel("Close pane");
		Button settingsToggle = new Button("⚙", e -> settings.setVisible(!settings.isVisible()));
		settingsToggle.addClassName("settings-toggle");
		settingsToggle.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
		settingsToggle.setAriaLabel("Conversation settings");
		webSearch = new WebSearchToggle(pane, context.conversations());
		add(title, model, webSearch, settingsToggle, close);
		addClassName("pane-header");
	}

	/**
	 * The conversation's model and web search as stored (changed here or in another tab).
	 */
	void showSettings(Conversation changed) {
		model.setValue(context.catalog().resolve(changed.model()));
		webSearch.show(changed.webSearch());
	}

	void showTitle(String newTitle) {
		title.setText(newTitle);
	}

	String title() {
		return title.getText();
	}

}
