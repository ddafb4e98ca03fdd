package dev.streamchat.ui;

import java.util.List;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.textfield.TextArea;
import dev.streamchat.chat.NewAttachment;
import org.jspecify.annotations.Nullable;

/**
 * The prompt and its Send button, which is Stop while an answer streams, with the files
 * attached to it above (an {@link AttachmentTray}) and an attach button beside it: it
 * hands what is typed and attached to its sender once the uploads are done, and empties
 * itself when that went through. Enter sends (frontend/prompt-keys.js), through the
 * owner's {@code submitPrompt} client call; the attach button, dropping files on the pane
 * and pasting them are frontend/attachments.js. What is typed is kept in the tab until it
 * is sent (frontend/drafts.js), so a reload after the tab's server went away puts it
 * back.
 */
@JavaScript("context://frontend/prompt-keys.js")
@JavaScript("context://frontend/attachments.js")
@JavaScript("context://frontend/drafts.js")
final class Composer extends Div {

	private final TextArea prompt = new TextArea();

	private final Button send = new Button("Send");

	private final Button attach = new Button("📎");

	private final AttachmentTray tray;

	private final Sender sender;

	private final Refusals refusals;

	private boolean streaming;

	/** Sends a prompt and its files. */
	@FunctionalInterface
	interface Sender {

		/**
		 * @return whether it went through (a refusal is shown otherwise)
		 */
		boolean send(String text, List<NewAttachment> files);

	}

	/**
	 * @param sender gets the prompt's text and files when Send is clicked or Enter
	 * pressed
	 * @param stop runs when Stop is clicked
	 * @param refusals where a prompt that cannot be sent yet says why
	 */
	Composer(Sender sender, Runnable stop, AttachmentTray tray, Refusals refusals) {
		this.tray = tray;
		this.sender = sender;
		this.refusals = refusals;
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
				submit(prompt.getValue());
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

	/**
	 * Enter in the prompt with {@code text} in it: the key handler fires the field's
	 * change event first, so the value reaches the server the normal way and clearing it
	 * afterwards is a change the browser is told about.
	 */
	void submitTyped(@Nullable String text) {
		if (text != null && !text.equals(prompt.getValue())) {
			prompt.setValue(text);
		}
		submit(prompt.getValue());
	}

	private void submit(String text) {
		if (tray.uploading()) {
			refusals.show("Wait until the files have uploaded, then send.");
			return;
		}
		if (sender.send(text, tray.files())) {
			prompt.clear();
			tray.clear();
		}
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
