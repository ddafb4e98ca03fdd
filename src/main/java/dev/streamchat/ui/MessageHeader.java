package dev.streamchat.ui;

import java.util.HashMap;
import java.util.Map;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import dev.streamchat.ui.markdown.Markup;
import org.jspecify.annotations.Nullable;

/**
 * A message's header: who wrote it, which version it is ("2 / 3"), what is happening
 * (phase) and its buttons (copy, delete…; shown on hover once the message has ended). The
 * buttons are plain markup, which the pane's single click listener turns into
 * {@code messageAction} calls (frontend/actions.js), run here by {@link #runAction}.
 * <p>
 * A header of a streaming reply keeps components it updates; a settled one (a page of
 * history) is markup in one element, written once when it is attached: a page of 50 rows
 * costs a few elements per row.
 */
final class MessageHeader extends Div {

	private final String author;

	/**
	 * The components of a live header; null for a settled one, which is one block of
	 * markup.
	 */
	private final @Nullable LiveParts liveParts;

	/** A live header's version switch, added when it first has versions. */
	private @Nullable Span versions;

	private String phaseText = "";

	private String versionsHtml = "";

	private String actionsHtml = "";

	/**
	 * The markup changed while the header was not attached yet: written once, on attach.
	 */
	private boolean pending;

	/** What each action button (and version switch) does, by its action name. */
	private final Map<String, Runnable> handlers = new HashMap<>();

	MessageHeader(String author, boolean live) {
		this.author = author;
		addClassName("message-header");
		if (live) {
			Span who = new Span(author);
			who.addClassName("author");
			Span phase = new Span();
			phase.addClassName("phase");
			Div actions = new Div();
			actions.addClassName("actions");
			add(who, phase, actions);
			liveParts = new LiveParts(phase, actions);
		}
		else {
			liveParts = null;
			render();
		}
	}

	@Override
	protected void onAttach(AttachEvent attachEvent) {
		if (pending) {
			render();
		}
	}

	private record LiveParts(Span phase, Div actions) {
	}

	void showPhase(String text) {
		if (liveParts != null) {
			liveParts.phase().setText(text);
		}
		else {
			phaseText = text;
			render();
		}
	}

	/**
	 * Shows which version of the message this is, with buttons to the neighbours (null:
	 * none).
	 */
	void showVersions(int number, int count, @Nullable Runnable previous, @Nullable Runnable next) {
		putHandler("previous-version", previous);
		putHandler("next-version", next);
		versionsHtml = Markup.actionButton("‹", "previous-version", "Previous version", previous == null)
				+ Markup.element("span", "version-label", number + " / " + count)
				+ Markup.actionButton("›", "next-version", "Next version", next == null);
		if (liveParts == null) {
			render();
			return;
		}
		Span switcher = versions;
		if (switcher == null) {
			switcher = new Span();
			switcher.addClassName("versions");
			addComponentAtIndex(1, switcher);
			versions = switcher;
		}
		switcher.getElement().setProperty("innerHTML", versionsHtml);
	}

	/** Adds an action button; the pane calls {@link #runAction} when it is clicked. */
	void addAction(String label, String action, String ariaLabel, Runnable handler) {
		putHandler(action, handler);
		actionsHtml += Markup.actionButton(label, action, ariaLabel, false);
		if (liveParts != null) {
			liveParts.actions().getElement().setProperty("innerHTML", actionsHtml);
		}
		else {
			render();
		}
	}

	/** Runs the action a button names; false if there is no such action. */
	boolean runAction(String action) {
		Runnable handler = handlers.get(action);
		if (handler == null) {
			return false;
		}
		handler.run();
		return true;
	}

	private void putHandler(String action, @Nullable Runnable handler) {
		if (handler == null) {
			handlers.remove(action);
		}
		else {
			handlers.put(action, handler);
		}
	}

	/**
	 * A settled header, in the same structure (and classes) as a live one's components. A
	 * row gets its outcome, actions and versions one after the other before it is shown:
	 * the markup is written once, when it is attached, and at once for a change after
	 * that.
	 */
	private void render() {
		if (!isAttached()) {
			pending = true;
			return;
		}
		pending = false;
		getElement().setProperty("innerHTML",
				Markup.element("span", "author", author)
						+ (versionsHtml.isEmpty() ? "" : Markup.wrap("span", "versions", versionsHtml))
						+ Markup.element("span", "phase", phaseText) + Markup.wrap("div", "actions", actionsHtml));
	}

}
