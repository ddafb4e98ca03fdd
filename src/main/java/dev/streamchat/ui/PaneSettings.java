package dev.streamchat.ui;

import java.util.Objects;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextArea;
import dev.streamchat.chat.Conversation;
import dev.streamchat.history.ConversationLimitException;
import dev.streamchat.history.Conversations;
import org.jspecify.annotations.Nullable;

/**
 * A pane's settings (behind its ⚙): system instructions and temperature, remembered with
 * the conversation and sent with every prompt from the next one on.
 */
final class PaneSettings extends Div {

	private final TextArea instruction = new TextArea("System instructions");

	private final NumberField temperature = new NumberField("Temperature");

	/** The stored settings this tab last showed: a field that differs was edited here. */
	private String shownInstruction;

	private @Nullable Double shownTemperature;

	PaneSettings(Conversation pane, Conversations conversations) {
		instruction.addClassName("system-instruction");
		instruction.setPlaceholder("e.g. Answer briefly, in British English.");
		shownInstruction = pane.systemInstruction() == null ? "" : pane.systemInstruction();
		instruction.setValue(shownInstruction);
		instruction.setWidthFull();
		instruction.setMaxHeight("10em");
		temperature.addClassName("temperature");
		temperature.setMin(0);
		temperature.setMax(2);
		temperature.setStep(0.1);
		temperature.setStepButtonsVisible(true);
		temperature.setPlaceholder("model default");
		temperature.setHelperText("0 – 2; empty: the model's default");
		shownTemperature = pane.temperature();
		temperature.setValue(shownTemperature);
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
				shownInstruction = instruction.getValue();
				shownTemperature = value;
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

	/**
	 * The conversation's settings as stored now (changed here or in another tab). A field
	 * the user has edited and not saved keeps the edit: an event arriving meanwhile (the
	 * echo of a model change, another tab's save) must not wipe what is being typed.
	 */
	void show(Conversation changed) {
		String storedInstruction = changed.systemInstruction() == null ? "" : changed.systemInstruction();
		if (instruction.getValue().equals(shownInstruction)) {
			instruction.setValue(storedInstruction);
		}
		shownInstruction = storedInstruction;
		if (Objects.equals(temperature.getValue(), shownTemperature)) {
			temperature.setValue(changed.temperature());
		}
		shownTemperature = changed.temperature();
	}

}
