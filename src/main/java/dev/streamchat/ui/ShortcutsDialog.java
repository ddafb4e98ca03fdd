package dev.streamchat.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;

/**
 * The "?" sheet: the keyboard shortcuts of the chat screen (frontend/shortcuts.js handles
 * the keys themselves, in the browser).
 */
final class ShortcutsDialog extends Dialog {

	/** Key, then what it does; "Ctrl" reads as ⌘ on a Mac, where both work. */
	static final String[][] KEYS = { { "Esc", "Stop the answer being written" }, { "/", "Go to the message box" },
			{ "Ctrl + K  (⌘ K)", "Search conversations" }, { "Ctrl + Shift + O  (⌘ ⇧ O)", "New chat" },
			{ "?", "Show this list" }, };

	ShortcutsDialog() {
		addClassName("shortcuts-dialog");
		setHeaderTitle("Keyboard shortcuts");
		getElement().setAttribute("aria-label", "Keyboard shortcuts");
		Div list = new Div();
		list.addClassName("shortcut-list");
		// a description list: each key is a term, what it does its definition
		list.getElement().setAttribute("role", "list");
		for (String[] key : KEYS) {
			Span keys = new Span(key[0]);
			keys.addClassName("shortcut-keys");
			Span what = new Span(key[1]);
			what.addClassName("shortcut-what");
			Div row = new Div(keys, what);
			row.addClassName("shortcut");
			row.getElement().setAttribute("role", "listitem");
			list.add(row);
		}
		add(list);
		Button close = new Button("Close", e -> close());
		close.addClassName("close-shortcuts");
		getFooter().add(close);
	}

}
