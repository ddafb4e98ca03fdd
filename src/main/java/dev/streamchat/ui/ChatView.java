package dev.streamchat.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Header;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.history.ConversationLimitException;
import dev.streamchat.history.Conversations;
import dev.streamchat.preferences.Appearance;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.FanOut;
import jakarta.annotation.security.PermitAll;
import org.jspecify.annotations.Nullable;

/**
 * The chat screen: the list of the user's conversations, their open panes side by side,
 * and a button to open another. On a narrow screen (CSS) the list is a drawer and one
 * pane shows at a time, picked with the switcher.
 */
@Route("")
@PageTitle("StreamChat")
@PermitAll
@JavaScript("context://frontend/shortcuts.js")
@JavaScript("context://frontend/viewport.js")
public class ChatView extends Div implements HistoryList.PaneHost {

	private final ChatPaneContext context;

	private final Conversations conversations;

	private final UserId user;

	private final Main panes = new Main();

	private final SequencedMap<ConversationId, ChatPane> shown = new LinkedHashMap<>();

	private final HistoryList history;

	private final Button menu = new Button("☰");

	private final PaneSwitcher switcher;

	/** The pane a narrow screen shows; null while no pane is open. */
	private @Nullable ConversationId current;

	/**
	 * Shown while this server drains on its way down: answers finish, new prompts go to
	 * another server.
	 */
	private final Span drainNotice = new Span("This server is restarting; your answer will finish.");

	/** While attached: hears when this node starts draining. */
	private MessageBroadcaster.@Nullable Subscription draining;

	ChatView(ChatPaneContext context, ColorSchemes colorSchemes) {
		this.context = context;
		this.conversations = context.conversations();
		this.user = context.currentUser().require();
		addClassName("chat-view");

		menu.setId("menu");
		menu.addClassName("menu-toggle");
		menu.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
		menu.setAriaLabel("Conversations");
		menu.getElement().setAttribute("aria-controls", "history");
		menu.getElement().setAttribute("aria-expanded", "false");
		menu.addClickListener(e -> setDrawerOpen(!hasClassName("drawer-open")));
		H1 title = new H1("StreamChat");
		title.addClassName("app-title");
		Header header = new Header(menu, title);
		header.addClassName("app-header");
		if (context.catalog().demo()) {
			Span demo = new Span("Demo model: offline canned answers. Set GEMINI_API_KEY to chat with Gemini.");
			demo.addClassName("demo-badge");
			header.add(demo);
		}
		Button addPane = new Button("+ Add pane", e -> newChat());
		addPane.setId("add-pane");
		addPane.addThemeVariants(ButtonVariant.LUMO_CONTRAST);
		Select<Appearance> scheme = appearancePicker(colorSchemes);
		Button keys = new Button("?", e -> new ShortcutsDialog().open());
		keys.setId("shortcuts");
		keys.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
		keys.setAriaLabel("Keyboard shortcuts");
		keys.setTooltipText("Keyboard shortcuts (?)");
		Span name = new Span(context.currentUser().name().orElse(""));
		name.addClassName("app-user");
		Button logout = new Button("Sign out", e -> context.authentication().logout());
		logout.setId("logout");
		logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
		SendToAllBar sendAll = new SendToAllBar(this::sendToAll);
		Button compare = new Button("⇉ Send to all", e -> {
			sendAll.setVisible(!sendAll.isVisible());
			e.getSource().getElement().setAttribute("aria-expanded", Boolean.toString(sendAll.isVisible()));
		});
		compare.setId("send-all-toggle");
		compare.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
		compare.setTooltipText("One prompt to every open pane, to compare their answers");
		compare.getElement().setAttribute("aria-expanded", "false");
		drainNotice.addClassName("drain-notice");
		drainNotice.getElement().setAttribute("role", "status");
		drainNotice.setVisible(false);
		header.add(drainNotice, addPane, compare, scheme, keys, name);
		if (context.currentUser().isAdmin()) {
			Anchor admin = new Anchor("admin", "Admin");
			admin.setId("admin-link");
			admin.addClassName("admin-link");
			header.add(admin);
		}
		header.add(logout);

		panes.addClassName("panes");
		panes.getElement().setAttribute("aria-label", "Chats");
		switcher = new PaneSwitcher(this::show, this::newChat);
		// in the header, so that it is inside a landmark too (a narrow screen shows it as
		// the header's last row)
		header.add(switcher);
		history = new HistoryList(context, user, this);
		history.setId("history");
		history.getElement().setAttribute("role", "navigation");
		history.getElement().setAttribute("aria-label", "Conversations");
		// on a narrow screen a tap beside the open drawer closes it
		Div backdrop = new Div();
		backdrop.addClassName("drawer-backdrop");
		backdrop.addClickListener(e -> setDrawerOpen(false));
		Div body = new Div(history, backdrop, panes);
		body.addClassName("chat-body");
		add(header, sendAll, body);

		List<Conversation> open = context.panes().openConversations(user);
		if (open.isEmpty()) {
			open = List.of(firstPane());
		}
		open.forEach(this::addPane);
		showCurrent(open.getLast().id());
	}

	@Override
	protected void onAttach(AttachEvent event) {
		UiUpdates updates = UiUpdates.of(event.getUI(), context.executors(), context.uiProperties());
		draining = context.streaming().onDraining(() -> updates.submit(() -> drainNotice.setVisible(true)));
		drainNotice.setVisible(context.streaming().isDraining());
	}

	@Override
	protected void onDetach(DetachEvent event) {
		if (draining != null) {
			draining.close();
			draining = null;
		}
	}

	/**
	 * One prompt to every open pane, in the order shown; a pane that cannot take it says
	 * why.
	 */
	private List<FanOut> sendToAll(String prompt) {
		List<FanOut> results = context.streaming().sendToAll(user, List.copyOf(shown.keySet()), prompt);
		results.forEach(result -> {
			ChatPane conversation = shown.get(result.conversation());
			if (conversation != null) {
				conversation.showRefusal(result.refusal());
			}
		});
		return results;
	}

	/**
	 * Light, dark or the system's: remembered for the user, applied at once (and before
	 * the first paint next time).
	 */
	private Select<Appearance> appearancePicker(ColorSchemes colorSchemes) {
		Select<Appearance> scheme = new Select<>();
		scheme.setId("color-scheme");
		scheme.addClassName("color-scheme");
		scheme.setAriaLabel("Colour scheme");
		scheme.setItems(Appearance.values());
		scheme.setItemLabelGenerator(a -> switch (a) {
			case SYSTEM -> "System theme";
			case LIGHT -> "Light";
			case DARK -> "Dark";
		});
		scheme.setValue(colorSchemes.current());
		scheme.addValueChangeListener(e -> {
			if (e.isFromClient() && e.getValue() != null) {
				getUI().ifPresent(ui -> colorSchemes.choose(ui, e.getValue()));
			}
		});
		return scheme;
	}

	private void setDrawerOpen(boolean open) {
		setClassName("drawer-open", open);
		menu.getElement().setAttribute("aria-expanded", Boolean.toString(open));
	}

	/**
	 * A new conversation, or (when the user keeps as many as allowed) the latest one
	 * opened again.
	 */
	private Conversation firstPane() {
		try {
			return conversations.create(user);
		}
		catch (ConversationLimitException full) {
			return conversations.list(user)
				.stream()
				.findFirst()
				.flatMap(latest -> conversations.open(user, latest.id()))
				.orElseThrow(() -> full);
		}
	}

	/** A server-side cap refused the change: say which, and change nothing. */
	private static void refused(ConversationLimitException limit) {
		Notification shown = Notification.show(limit.getMessage(), 6_000, Notification.Position.BOTTOM_START);
		shown.addThemeVariants(NotificationVariant.LUMO_ERROR);
		shown.addClassName("limit-error");
	}

	@Override
	public void newChat() {
		Conversation pane;
		try {
			pane = conversations.create(user);
		}
		catch (ConversationLimitException limit) {
			refused(limit);
			return;
		}
		addPane(pane);
		showCurrent(pane.id());
		setDrawerOpen(false);
		// this tab's list at once; the event (for the user's other tabs) comes back here
		// later
		history.refresh();
	}

	@Override
	public void addPane(Conversation pane) {
		if (shown.containsKey(pane.id())) {
			return;
		}
		ChatPane chatPane = new ChatPane(pane, context, () -> {
			conversations.close(user, pane.id());
			removePane(pane.id());
			history.refresh();
		});
		shown.put(pane.id(), chatPane);
		panes.add(chatPane);
		updateSwitcher();
	}

	@Override
	public boolean removePane(ConversationId id) {
		ChatPane gone = shown.remove(id);
		if (gone != null) {
			panes.remove(gone);
			if (id.equals(current)) {
				showCurrent(shown.isEmpty() ? null : shown.lastEntry().getKey());
			}
			else {
				updateSwitcher();
			}
		}
		return gone != null;
	}

	@Override
	public void show(ConversationId id) {
		ChatPane pane = shown.get(id);
		if (pane == null) {
			try {
				conversations.open(user, id).ifPresent(this::addPane);
			}
			catch (ConversationLimitException limit) {
				refused(limit);
				return;
			}
			pane = shown.get(id);
			history.refresh();
		}
		if (pane != null) {
			setDrawerOpen(false);
			showCurrent(id);
			highlight(pane);
		}
	}

	/**
	 * The pane a narrow screen shows (a wide one shows all): marked, and picked in the
	 * switcher.
	 */
	private void showCurrent(@Nullable ConversationId id) {
		current = id;
		shown.forEach((paneId, pane) -> pane.setClassName("current", paneId.equals(id)));
		updateSwitcher();
	}

	private void updateSwitcher() {
		Map<ConversationId, String> titles = new LinkedHashMap<>();
		shown.forEach((id, pane) -> titles.put(id, pane.title()));
		switcher.show(titles, current);
	}

	/** Marks the pane as the one just asked for and brings it into view. */
	private void highlight(ChatPane pane) {
		shown.values().forEach(p -> p.removeClassName("highlighted"));
		pane.addClassName("highlighted");
		pane.getElement().executeJs("StreamChat.reveal(this)");
	}

	@Override
	/**
	 * A conversation's model or settings changed, here or in another tab: its pane shows
	 * them as stored.
	 */
	public void settingsChanged(Conversation changed) {
		ChatPane pane = shown.get(changed.id());
		if (pane != null) {
			pane.showSettings(changed);
		}
	}

	public void titleChanged(ConversationId id, String title) {
		ChatPane pane = shown.get(id);
		if (pane != null) {
			pane.showTitle(title);
			updateSwitcher();
		}
	}

}
