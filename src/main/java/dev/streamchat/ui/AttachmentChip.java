package dev.streamchat.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import dev.streamchat.attachments.AttachmentIntake;
import dev.streamchat.chat.Attachment;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.ui.markdown.Markup;

/**
 * One file: a thumbnail (images) or an icon, its name and size. Above the prompt it is
 * removable and says how its upload goes (uploading, or why it was refused); in a sent
 * message it is markup ({@link #sentHtml}) that links to the file, through the
 * owner-checked {@code /attachments/{id}}.
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
	 * A file of a sent prompt, as markup in its message: the whole chip opens it (images,
	 * PDF, audio, text) in a new tab.
	 */
	static String sentHtml(Attachment file) {
		String url = "attachments/" + file.id();
		String preview = file.isImage() ? "<img src=\"" + url + "\" alt=\"\" loading=\"lazy\">"
				: Markup.escape(icon(file.mimeType()));
		return "<a class=\"attachment-link\" href=\"" + url
				+ "\" target=\"_blank\" rel=\"noopener noreferrer\" router-ignore aria-label=\""
				+ Markup.escape("Open " + file.name()) + "\" data-attachment-id=\"" + file.id()
				+ "\"><div class=\"attachment-chip sent\" title=\"" + Markup.escape(file.name())
				+ "\"><div class=\"attachment-preview\" aria-hidden=\"true\">" + preview
				+ "</div><div class=\"attachment-text\">" + Markup.element("span", "attachment-name", file.name())
				+ Markup.element("span", "attachment-size", AttachmentIntake.size(file.size())) + "</div></div></a>";
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
