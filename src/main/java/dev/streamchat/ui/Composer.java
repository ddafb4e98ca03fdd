package dev.streamchat.ui;

import java.util.function.Consumer;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.textfield.TextArea;

/**
 * The prompt and its Send button, which is Stop while an answer streams, with the files
 * attached to it above (an {@link AttachmentTray}) and an attach button beside it. Enter
 * sends (frontend/prompt-keys.js), through the owner's {@code submitPrompt} client call;
 * the attach button, dropping files on the pane and pasting them are
 * frontend/attachments.js. What is typed is kept in the tab until it is sent
 * (frontend/drafts.js), so a reload after the tab's server went away puts it back.
 */
@JavaScript("context://frontend/prompt-keys.js")
@JavaScript("context://frontend/attachments.js")
@JavaScript("context://frontend/drafts.js")
final class Composer extends Div {

	private final TextArea prompt = new TextArea();

	private final Button send = new Button("Send");

	private final Button attach = new Button("📎");

	private final AttachmentTray tray;

	private boolean streaming;

	/**
	 * @param submit gets the prompt's text when Send is clicked
	 * @param stop runs when Stop is clicked
	 */
	Composer(Consumer<String> submit, Runnable stop, AttachmentTray tray) {
		this.tray = tray;
		addClassName("composer");
		prompt.addClassName("prompt");
		prompt.setPlaceholder("Message… (Enter sends, Shift+Enter for a new line)");
		prompt.setAriaLabel("Message");
		prompt.setMaxHeight("12em");
		send.addClassName("send");
		send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
		send.addClickListener(e -> {
			if (streaming) {
				stop.run();
			}
			else {
				submit.accept(prompt.getValue());
			}
		});
		// the browser opens the file picker itself (a click in the page), see
		// frontend/attachments.js
		attach.addClassName("attach");
		attach.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
		attach.setAriaLabel("Attach files");
		attach.setTooltipText("Attach files (or drop them on the pane, or paste an image)");
		// the composer is always shown, so it owns the upload address (an invisible
		// element's is refused)
		getElement().setAttribute("data-upload", tray.uploads());
		// the chips on a line of their own above the row, which keeps its height while
		// none are attached
		Div row = new Div(attach, prompt, send);
		row.addClassName("composer-row");
		add(tray, row);
	}

	AttachmentTray tray() {
		return tray;
	}

	String promptText() {
		return prompt.getValue();
	}

	void setPromptText(String text) {
		prompt.setValue(text);
	}

	void clear() {
		prompt.clear();
	}

	/** Send becomes Stop while an answer streams, and back. */
	void showStreaming(boolean answering) {
		streaming = answering;
		send.setText(answering ? "Stop" : "Send");
		send.setClassName("stop", answering);
	}

	/** Enter sends, through {@code owner}'s {@code submitPrompt(text)} client call. */
	void enterSendsThrough(Component owner) {
		prompt.getElement().executeJs("StreamChat.enterSends(this, $0)", owner.getElement());
	}

	/**
	 * Keeps the prompt's text in the tab (sessionStorage, under {@code key}) until it is
	 * sent, and puts it back when the pane is shown again: after a reload, for example
	 * because this tab's server went away while the user was typing.
	 */
	void keepDraftAs(String key) {
		prompt.getElement().executeJs("StreamChat.keepDraft(this, $0)", key);
	}

	/**
	 * Files come from the attach button, a drop anywhere on {@code pane} and a paste into
	 * it, and are announced through {@code pane}'s {@code beginAttachment} client call
	 * before their upload.
	 */
	void attachmentsThrough(Component pane) {
		getElement().executeJs("StreamChat.attachments($0, this, $1)", pane.getElement(), attach.getElement());
	}

}
