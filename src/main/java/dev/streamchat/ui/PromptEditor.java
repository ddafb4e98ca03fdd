package dev.streamchat.ui;

import java.util.function.Predicate;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.textfield.TextArea;

/** Editing a sent prompt in place: a text area with Cancel and Send. */
final class PromptEditor extends Div {

	/**
	 * @param send gets the new text and says whether it was accepted (the editor stays
	 * open otherwise)
	 * @param close removes the editor
	 */
	PromptEditor(String text, Predicate<String> send, Runnable close) {
		addClassName("prompt-editor");
		TextArea area = new TextArea();
		area.addClassName("edit-text");
		area.setAriaLabel("Edited message");
		area.setValue(text);
		area.setWidthFull();
		area.setMaxHeight("12em");
		Button save = new Button("Send", e -> {
			if (send.test(area.getValue())) {
				close.run();
			}
		});
		save.addClassName("send-edit");
		save.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
		Button cancel = new Button("Cancel", e -> close.run());
		cancel.addClassName("cancel-edit");
		cancel.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
		Div buttons = new Div(cancel, save);
		buttons.addClassName("edit-buttons");
		add(area, buttons);
		area.focus();
	}

}
