package dev.streamchat.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextArea;
import dev.streamchat.chat.Conversation;
import dev.streamchat.history.ConversationLimitException;
import dev.streamchat.history.Conversations;

/**
 * A pane's settings (behind its ⚙): system instructions and temperature, remembered with
 * the conversation and sent with every prompt from the next one on.
 */
final class PaneSettings extends Div {

	private final TextArea instruction = new TextArea("System instructions");

	private final NumberField temperature = new NumberField("Temperature");

	PaneSettings(Conversation pane, Conversations conversations) {
		instruction.addClassName("system-instruction");
		instruction.setPlaceholder("e.g. Answer briefly, in British English.");
		instruction.setValue(pane.systemInstruction() == null ? "" : pane.systemInstruction());
		instruction.setWidthFull();
		instruction.setMaxHeight("10em");
		temperature.addClassName("temperature");
		temperature.setMin(0);
		temperature.setMax(2);
		temperature.setStep(0.1);
		temperature.setStepButtonsVisible(true);
		temperature.setPlaceholder("model default");
		temperature.setHelperText("0 – 2; empty: the model's default");
		temperature.setValue(pane.temperature());
		Span saved = new Span();
		saved.addClassName("settings-saved");
		Button save = new Button("Save", e -> {
			Double value = temperature.getValue();
			if (value != null && (value < 0 || value > 2)) {
				saved.setText("Temperature must be between 0 and 2.");
				return;
			}
			try {
				conversations.changeSettings(pane.owner(), pane.id(), instruction.getValue(), value);
			}
			catch (ConversationLimitException tooLong) {
				// the text stays in the field, to be shortened
				saved.setText(tooLong.getMessage());
				return;
			}
			saved.setText("Saved: used from the next message on.");
		});
		save.addClassName("save-settings");
		save.addThemeVariants(ButtonVariant.LUMO_SMALL);
		add(instruction, temperature, new Div(save, saved));
		addClassName("pane-settings");
		setVisible(false);
	}

	/** The conversation's settings as stored now (changed here or in another tab). */
	void show(Conversation changed) {
		instruction.setValue(changed.systemInstruction() == null ? "" : changed.systemInstruction());
		temperature.setValue(changed.temperature());
	}

}
