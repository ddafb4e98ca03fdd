package dev.streamchat.ui;

import java.util.List;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import dev.streamchat.chat.Versions;
import dev.streamchat.ui.markdown.Markup;
import org.jspecify.annotations.Nullable;

/**
 * A message's header: who wrote it, which version it is ("2 / 3"), what is happening
 * (phase) and its buttons (copy, delete…; shown on hover once the message has ended). The
 * buttons are plain markup, which the pane's single click listener turns into
 * {@code messageAction} calls (frontend/actions.js; see {@link MessageAction}).
 * <p>
 * As a component it is the header of a streaming reply, whose phase changes; a settled
 * row writes the same structure as part of its markup ({@link #html}).
 */
final class MessageHeader extends Div {

	private final Span phase = new Span();

	MessageHeader(String author, List<MessageAction> actions, @Nullable Versions versions) {
		addClassName("message-header");
		Span who = new Span(author);
		who.addClassName("author");
		add(who);
		if (versions != null) {
			Span switcher = new Span();
			switcher.addClassName("versions");
			switcher.getElement().setProperty("innerHTML", versionsHtml(versions));
			add(switcher);
		}
		phase.addClassName("phase");
		Div buttons = new Div();
		buttons.addClassName("actions");
		buttons.getElement().setProperty("innerHTML", actionsHtml(actions));
		add(phase, buttons);
	}

	void showPhase(String text) {
		phase.setText(text);
	}

	/** A settled header: the structure (and classes) of a live one's components. */
	static String html(String author, List<MessageAction> actions, @Nullable Versions versions, String phase) {
		return Markup.wrap("div", "message-header",
				Markup.element("span", "author", author)
						+ (versions == null ? "" : Markup.wrap("span", "versions", versionsHtml(versions)))
						+ Markup.element("span", "phase", phase) + Markup.wrap("div", "actions", actionsHtml(actions)));
	}

	/** "‹ 2 / 3 ›", each arrow disabled at its end. */
	private static String versionsHtml(Versions versions) {
		return MessageAction.PREVIOUS_VERSION.button(versions.previous() == null)
				+ Markup.element("span", "version-label", versions.number() + " / " + versions.count())
				+ MessageAction.NEXT_VERSION.button(versions.next() == null);
	}

	private static String actionsHtml(List<MessageAction> actions) {
		StringBuilder html = new StringBuilder();
		actions.forEach(action -> html.append(action.button(false)));
		return html.toString();
	}

}
