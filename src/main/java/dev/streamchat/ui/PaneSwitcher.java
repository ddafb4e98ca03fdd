package dev.streamchat.ui;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.select.Select;
import dev.streamchat.chat.ConversationId;
import org.jspecify.annotations.Nullable;

/**
 * On a narrow screen one pane shows at a time: this bar picks which (the open panes by
 * title) and starts a new chat. Wider screens show every pane side by side and hide the
 * bar (CSS).
 */
final class PaneSwitcher extends Div {

	private final Select<ConversationId> select = new Select<>();

	/** The panes the select lists, in its order, and their titles. */
	private List<ConversationId> order = List.of();

	private Map<ConversationId, String> shown = Map.of();

	PaneSwitcher(Consumer<ConversationId> onPick, Runnable onNewChat) {
		addClassName("pane-switcher");
		select.addClassName("pane-select");
		select.setAriaLabel("Shown chat");
		select.setItemLabelGenerator(id -> shown.getOrDefault(id, ""));
		select.addValueChangeListener(e -> {
			if (e.isFromClient() && e.getValue() != null) {
				onPick.accept(e.getValue());
			}
		});
		Button newChat = new Button("+ New", e -> onNewChat.run());
		newChat.addClassName("switcher-new");
		newChat.setAriaLabel("New chat");
		add(select, newChat);
	}

	/**
	 * Shows the open panes (in their order, labelled by title) with {@code current}
	 * picked.
	 */
	void show(Map<ConversationId, String> panes, @Nullable ConversationId current) {
		Map<ConversationId, String> before = shown;
		shown = Map.copyOf(panes);
		List<ConversationId> ids = List.copyOf(panes.keySet());
		if (ids.equals(order)) {
			// only titles changed (a conversation renamed, as after its first answer):
			// the items are relabelled in place. New items make the browser's list box
			// scroll its selected item into view, a synchronous layout of the whole page
			// in the middle of applying a push, while a long answer's newest text is
			// still to be laid out (issue 15: 57-128 ms at the end of -Pbench s3r's
			// answer)
			ids.stream()
				.filter(id -> !Objects.equals(shown.get(id), before.get(id)))
				.forEach(id -> select.getListDataView().refreshItem(id));
		}
		else {
			order = ids;
			select.setItems(ids);
		}
		select.setValue(current);
	}

}
