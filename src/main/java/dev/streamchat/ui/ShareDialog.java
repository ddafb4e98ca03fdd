package dev.streamchat.ui;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.security.UserId;
import dev.streamchat.sharing.ShareOptions;
import dev.streamchat.sharing.SharedLink;
import dev.streamchat.sharing.SharedLinks;
import org.jspecify.annotations.Nullable;

/**
 * Share links, from the side list: for one conversation, make a read-only link to a
 * snapshot of it (tool calls, system instructions and attached files only if ticked) and
 * see and revoke its links; or, for no conversation, every link of the user's. A revoked
 * link stops working at once.
 */
final class ShareDialog extends Dialog {

	private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final SharedLinks links;

	private final UserId user;

	private final @Nullable ConversationId pane;

	private final Div list = new Div();

	/**
	 * @param pane the conversation to share, or null to list (and revoke) all the user's
	 * links
	 */
	ShareDialog(SharedLinks links, UserId user, @Nullable ConversationId pane, @Nullable String title) {
		this.links = links;
		this.user = user;
		this.pane = pane;
		addClassName("share-dialog");
		setHeaderTitle(pane == null ? "Shared links" : "Share “" + title + "”");
		list.addClassName("share-links");
		if (pane != null) {
			Paragraph about = new Paragraph("Anyone with the link can read a copy of this conversation as it is now, "
					+ "without signing in. Later messages are not shared. Revoke the link to end it.");
			Checkbox tools = new Checkbox("Include tool calls (their arguments and results)");
			tools.addClassName("share-tools");
			Checkbox instruction = new Checkbox("Include the system instructions");
			instruction.addClassName("share-instruction");
			Checkbox files = new Checkbox("Include attached files (anyone with the link can open them)");
			files.addClassName("share-attachments");
			Span failed = new Span();
			failed.addClassName("share-error");
			Button create = new Button("Create link", e -> links
				.create(user, pane, new ShareOptions(tools.getValue(), instruction.getValue(), files.getValue()))
				.ifPresentOrElse(link -> refresh(), () -> failed.setText("This conversation no longer exists.")));
			create.addClassName("share-create");
			create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
			add(about, tools, instruction, files, new Div(create, failed));
		}
		add(list);
		Button close = new Button("Close", e -> close());
		close.addClassName("share-close");
		getFooter().add(close);
		refresh();
	}

	private void refresh() {
		list.removeAll();
		var shown = pane == null ? links.list(user) : links.list(user, pane);
		if (shown.isEmpty()) {
			list.add(new Paragraph(pane == null ? "You have not shared any conversation." : "No link yet."));
		}
		shown.forEach(link -> list.add(row(link)));
	}

	private Div row(SharedLink link) {
		// a page of the server, not a route of this app: the router must leave it alone
		Anchor open = new Anchor(link.path().substring(1), pane == null ? link.title() : "Open link",
				AnchorTarget.BLANK);
		open.getElement().setAttribute("router-ignore", true);
		open.getElement().setAttribute("rel", "noopener noreferrer");
		open.addClassName("share-link");
		Button copy = new Button("Copy link");
		copy.addClassName("share-copy");
		copy.addThemeVariants(ButtonVariant.LUMO_SMALL);
		copy.addClickListener(e -> copy.getElement()
			.executeJs("StreamChat.copy(new URL($0, document.baseURI).href, this)", link.path().substring(1)));
		Button revoke = new Button("Revoke", e -> {
			links.revoke(user, link.id());
			refresh();
		});
		revoke.addClassName("share-revoke");
		revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
		Span when = new Span("shared " + WHEN.format(link.createdAt()) + " UTC");
		when.addClassName("share-when");
		Div row = new Div(open, when, copy, revoke);
		row.addClassName("share-row");
		row.getElement().setAttribute("data-share-id", link.id().value());
		return row;
	}

}
