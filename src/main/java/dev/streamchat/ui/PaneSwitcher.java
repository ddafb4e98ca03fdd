package dev.streamchat.ui;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

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

	private Function<ConversationId, String> titles = ConversationId::toString;

	PaneSwitcher(Consumer<ConversationId> onPick, Runnable onNewChat) {
		addClassName("pane-switcher");
		select.addClassName("pane-select");
		select.setAriaLabel("Shown chat");
		select.setItemLabelGenerator(id -> titles.apply(id));
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
		titles = id -> panes.getOrDefault(id, "");
		select.setItems(List.copyOf(panes.keySet()));
		select.setValue(current);
	}

}
