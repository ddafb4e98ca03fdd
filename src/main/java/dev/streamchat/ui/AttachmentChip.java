package dev.streamchat.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import dev.streamchat.attachments.AttachmentIntake;
import dev.streamchat.chat.Attachment;
import dev.streamchat.chat.NewAttachment;

/**
 * One file: a thumbnail (images) or an icon, its name and size. Above the prompt it is
 * removable and says how its upload goes (uploading, or why it was refused); in a sent
 * message it links to the file, through the owner-checked {@code /attachments/{id}}.
 */
final class AttachmentChip extends Div {

	private final Div preview = new Div();

	private final Span status = new Span();

	private AttachmentChip(String name, long size, String mimeType) {
		addClassName("attachment-chip");
		preview.addClassName("attachment-preview");
		preview.setText(icon(mimeType));
		preview.getElement().setAttribute("aria-hidden", "true");
		Span label = new Span(name);
		label.addClassName("attachment-name");
		Span bytes = new Span(size < 0 ? "" : AttachmentIntake.size(size));
		bytes.addClassName("attachment-size");
		Div text = new Div(label, bytes);
		text.addClassName("attachment-text");
		status.addClassName("attachment-status");
		add(preview, text);
		setTitle(name);
	}

	/** A file on its way: "uploading…" until it arrives or is refused; × drops it. */
	static AttachmentChip pending(String token, String name, long size, String browserType, Runnable remove) {
		AttachmentChip chip = new AttachmentChip(name, size, browserType == null ? "" : browserType);
		chip.addClassName("pending");
		chip.getElement().setAttribute("data-token", token);
		chip.status.setText("uploading…");
		Button x = new Button("×", e -> remove.run());
		x.addClassName("remove-attachment");
		x.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
		x.setAriaLabel("Remove " + name);
		chip.add(chip.status, x);
		return chip;
	}

	/** The file arrived whole and passed every check: an image shows itself. */
	void ready(NewAttachment file) {
		removeClassName("pending");
		addClassName("ready");
		status.setText("");
		status.setVisible(false);
		if (file.mimeType().startsWith("image/")) {
			preview.setText("");
			Image thumbnail = new Image(file.bytes(), file.name());
			thumbnail.setAlt("");
			preview.add(thumbnail);
		}
		else {
			preview.setText(icon(file.mimeType()));
		}
	}

	/** The file was refused: the reason stays next to it until the user removes it. */
	void failed(String reason) {
		removeClassName("pending");
		addClassName("failed");
		status.setText(reason);
		status.getElement().setAttribute("role", "alert");
	}

	/**
	 * A file of a sent prompt: the whole chip opens it (images, PDF, audio, text) in a
	 * new tab.
	 */
	static Anchor sent(Attachment file) {
		AttachmentChip chip = new AttachmentChip(file.name(), file.size(), file.mimeType());
		chip.addClassName("sent");
		String url = "attachments/" + file.id();
		if (file.isImage()) {
			chip.preview.setText("");
			Image thumbnail = new Image(url, "");
			thumbnail.getElement().setAttribute("loading", "lazy");
			chip.preview.add(thumbnail);
		}
		Anchor link = new Anchor(url, chip);
		link.setTarget(AnchorTarget.BLANK);
		link.getElement().setAttribute("rel", "noopener noreferrer");
		link.getElement().setAttribute("router-ignore", true);
		link.getElement().setAttribute("aria-label", "Open " + file.name());
		link.addClassName("attachment-link");
		link.getElement().setAttribute("data-attachment-id", file.id().toString());
		return link;
	}

	static String icon(String mimeType) {
		if (mimeType.startsWith("image/")) {
			return "🖼";
		}
		if (mimeType.equals("application/pdf")) {
			return "📕";
		}
		if (mimeType.startsWith("audio/")) {
			return "🎵";
		}
		return "📄";
	}

}
