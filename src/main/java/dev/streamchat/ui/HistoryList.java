package dev.streamchat.ui;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationSummary;
import dev.streamchat.chat.SearchHit;
import dev.streamchat.history.ConversationBusyException;
import dev.streamchat.history.ConversationEvent;
import dev.streamchat.history.ConversationEvent.Change;
import dev.streamchat.history.ConversationEvents;
import dev.streamchat.history.ConversationLimitException;
import dev.streamchat.history.Conversations;
import dev.streamchat.history.HistoryProperties;
import dev.streamchat.history.MarkdownExport;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;

/**
 * The side list of the user's conversations, newest activity first: open one as a pane,
 * rename, export as Markdown, delete (with Undo), and search the messages of all of them.
 * It follows the user's conversation events while attached, so every tab's list stays
 * current.
 */
final class HistoryList extends Div {

	/** What the list asks of the view around it, which owns the panes. */
	interface PaneHost {

		/**
		 * Shows the conversation: highlights its pane here, or opens it as the last pane.
		 */
		void show(ConversationId id);

		/** A new conversation in a new pane. */
		void newChat();

		/**
		 * Drops the conversation's pane from this tab, if shown; returns whether it was.
		 */
		boolean removePane(ConversationId id);

		void addPane(Conversation pane);

		void titleChanged(ConversationId id, String title);

		/**
		 * The conversation's model or settings changed (in this tab or another): it now
		 * is {@code pane}.
		 */
		void settingsChanged(Conversation pane);

	}

	private static final int SEARCH_LIMIT = 30;

	private final Conversations conversations;

	private final ConversationEvents events;

	private final ChatPaneContext context;

	private final HistoryProperties properties;

	private final UserId user;

	private final PaneHost host;

	private final Button toggle = new Button("«");

	private final TextField search = new TextField();

	private final Div entries = new Div();

	private final Div results = new Div();

	/** To the user's conversation events while attached; null while detached. */
	private ConversationEvents.@Nullable Subscription subscription;

	/**
	 * The entry shown for each conversation, with the state it shows: unchanged ones are
	 * kept.
	 */
	private final Map<ConversationId, Shown> shown = new HashMap<>();

	/**
	 * While the user types a new title, the list holds still (a rebuild would take the
	 * field away).
	 */
	private boolean renaming;

	private boolean refreshPending;

	/** An event came since the list was last read for the push thread. */
	private final AtomicBoolean stale = new AtomicBoolean();

	/**
	 * Numbers the reads of the list, in the order they start; the latest shown one's
	 * number.
	 */
	private final AtomicLong reads = new AtomicLong();

	private long shownRead;

	private record Shown(ConversationSummary conversation, Div entry) {
	}

	HistoryList(ChatPaneContext context, UserId user, PaneHost host) {
		this.conversations = context.conversations();
		this.events = context.conversationEvents();
		this.context = context;
		this.properties = context.historyProperties();
		this.user = user;
		this.host = host;
		addClassName("history");

		toggle.addClickListener(e -> setCollapsed(!hasClassName("collapsed")));
		toggle.addClassName("history-toggle");
		toggle.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
		toggle.setAriaLabel("Hide conversations");
		Button newChat = new Button("New chat", e -> host.newChat());
		newChat.setId("new-chat");
		newChat.addThemeVariants(ButtonVariant.LUMO_SMALL);
		Button shared = new Button("Shared links",
				e -> new ShareDialog(context.sharedLinks(), user, null, null).open());
		shared.setId("shared-links");
		shared.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
		Div top = new Div(toggle, newChat, shared);
		top.addClassName("history-top");

		search.addClassName("history-search");
		search.setPlaceholder("Search messages…");
		search.setAriaLabel("Search messages");
		search.setClearButtonVisible(true);
		search.setValueChangeMode(ValueChangeMode.LAZY);
		search.setValueChangeTimeout(250);
		search.addValueChangeListener(e -> showSearch());

		entries.addClassName("history-entries");
		results.addClassName("history-results");
		results.setVisible(false);
		// scrolling lists: reachable from the keyboard, named for screen readers
		focusableGroup(entries, "Conversation list");
		focusableGroup(results, "Search results");
		Div body = new Div(search, entries, results);
		body.addClassName("history-body");
		add(top, body);
	}

	private static void focusableGroup(Div list, String label) {
		list.getElement().setAttribute("tabindex", "0");
		list.getElement().setAttribute("role", "group");
		list.getElement().setAttribute("aria-label", label);
	}

	private void setCollapsed(boolean collapsed) {
		setClassName("collapsed", collapsed);
		toggle.setText(collapsed ? "»" : "«");
		toggle.setAriaLabel(collapsed ? "Show conversations" : "Hide conversations");
	}

	/**
	 * Shows the list as stored: one query, and every tab's order is the same. An entry
	 * whose conversation did not change is kept as it is, so the browser is sent only
	 * what changed.
	 */
	void refresh() {
		long read = reads.incrementAndGet();
		show(read, conversations.list(user));
	}

	/**
	 * @param read when the list was read: one read off the lock for a push may arrive
	 * after a later one made here, and must not bring back what that one replaced
	 */
	private void show(long read, List<ConversationSummary> list) {
		if (read < shownRead) {
			return;
		}
		shownRead = read;
		if (renaming) {
			refreshPending = true;
			return;
		}
		refreshPending = false;
		Map<ConversationId, Shown> next = new HashMap<>();
		List<Component> wanted = new ArrayList<>();
		for (ConversationSummary c : list) {
			Shown old = shown.get(c.id());
			Shown now = old != null && old.conversation().equals(c) ? old : new Shown(c, entry(c));
			next.put(c.id(), now);
			wanted.add(now.entry());
		}
		if (list.isEmpty()) {
			Span empty = new Span("No conversations yet.");
			empty.addClassName("history-empty");
			wanted.add(empty);
		}
		shown.clear();
		shown.putAll(next);
		reorder(wanted);
		if (results.isVisible()) {
			showSearch();
		}
	}

	/**
	 * Puts the entries in the wanted order by moving only those out of place: a
	 * conversation with new activity moves to the top as one change, not as a rebuilt
	 * list in every tab.
	 */
	private void reorder(List<Component> wanted) {
		Set<Component> keep = new HashSet<>(wanted);
		entries.getChildren().filter(c -> !keep.contains(c)).toList().forEach(entries::remove);
		for (int i = 0; i < wanted.size(); i++) {
			if (i >= entries.getComponentCount() || entries.getComponentAt(i) != wanted.get(i)) {
				entries.addComponentAtIndex(i, wanted.get(i));
			}
		}
	}

	private Div entry(ConversationSummary conversation) {
		ConversationId id = conversation.id();
		Div entry = new Div();
		entry.addClassName("history-entry");
		entry.setClassName("open", conversation.open());
		entry.getElement().setAttribute("data-pane-id", id.toString());

		NativeButton open = new NativeButton(conversation.title(), e -> host.show(id));
		open.addClassName("history-open");
		open.getElement()
			.setAttribute("title", conversation.open() ? conversation.title() + " (open)" : conversation.title());

		Button rename = new Button("✎", e -> startRename(entry, open, conversation));
		rename.addClassName("history-rename");
		rename.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
		rename.setAriaLabel("Rename");
		rename.setTooltipText("Rename");

		// generated when the user clicks, so it is the conversation as it is then
		Anchor export = new Anchor(
				DownloadHandler.fromInputStream(
						event -> conversations.export(user, id)
							.map(HistoryList::download)
							.orElseGet(() -> DownloadResponse.error(404)),
						Conversations.fileName(conversation.title())),
				"⤓");
		export.addClassName("history-export");
		export.getElement().setAttribute("aria-label", "Export as Markdown");
		export.getElement().setAttribute("title", "Export as Markdown");

		Button delete = new Button("🗑", e -> delete(conversation));
		delete.addClassName("history-delete");
		delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
		delete.setAriaLabel("Delete");
		delete.setTooltipText("Delete");

		Button share = new Button("🔗",
				e -> new ShareDialog(context.sharedLinks(), user, id, conversation.title()).open());
		share.addClassName("history-share");
		share.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
		share.setAriaLabel("Share a link");
		share.setTooltipText("Share a read-only link");

		Div actions = new Div(rename, export, share, delete);
		actions.addClassName("history-actions");
		entry.add(open, actions);
		return entry;
	}

	private static DownloadResponse download(MarkdownExport export) {
		byte[] bytes = export.markdown().getBytes(StandardCharsets.UTF_8);
		return new DownloadResponse(new ByteArrayInputStream(bytes), export.fileName(), "text/markdown;charset=utf-8",
				bytes.length);
	}

	/** Turns the title into a field: Enter (or leaving it) saves, Escape cancels. */
	private void startRename(Div entry, NativeButton open, ConversationSummary conversation) {
		TextField field = new TextField();
		field.addClassName("history-title-field");
		field.setValue(conversation.title());
		field.setAriaLabel("Conversation title");
		field.setMaxLength(100);
		boolean[] done = { false };
		Runnable finish = () -> {
			done[0] = true;
			renaming = false;
			shown.remove(conversation.id()); // its entry holds the field: build it afresh
			refresh();
		};
		field.addValueChangeListener(e -> {
			if (done[0] || !e.isFromClient()) {
				return;
			}
			conversations.rename(user, conversation.id(), e.getValue())
				.ifPresent(title -> host.titleChanged(conversation.id(), title));
			finish.run();
		});
		field.addKeyDownListener(Key.ESCAPE, e -> finish.run());
		// leaving the field unchanged ends the rename too (a changed value arrives first,
		// as a change)
		field.addBlurListener(e -> {
			if (!done[0]) {
				finish.run();
			}
		});
		renaming = true;
		entry.replace(open, field);
		field.focus();
		field.getElement().executeJs("this.inputElement && this.inputElement.select()");
	}

	private void delete(ConversationSummary conversation) {
		try {
			if (!conversations.delete(user, conversation.id())) {
				refresh();
				return;
			}
		}
		catch (ConversationBusyException busy) {
			Notification error = Notification.show(busy.getMessage(), 5_000, Notification.Position.BOTTOM_START);
			error.addThemeVariants(NotificationVariant.LUMO_ERROR);
			error.addClassName("history-error");
			return;
		}
		boolean wasShown = host.removePane(conversation.id());
		refresh();
		offerUndo(conversation, wasShown);
	}

	private void offerUndo(ConversationSummary conversation, boolean wasShown) {
		Notification notification = new Notification();
		notification.addClassName("undo-delete");
		notification.setPosition(Notification.Position.BOTTOM_START);
		notification.setDuration((int) properties.undoTime().toMillis());
		Button undo = new Button("Undo", e -> {
			notification.close();
			try {
				conversations.restore(user, conversation.id()).ifPresent(restored -> {
					if (wasShown && restored.open()) {
						conversations.open(user, restored.id()).ifPresent(host::addPane);
					}
				});
			}
			catch (ConversationLimitException full) {
				Notification refused = Notification.show(full.getMessage(), 6_000, Notification.Position.BOTTOM_START);
				refused.addThemeVariants(NotificationVariant.LUMO_ERROR);
				refused.addClassName("limit-error");
			}
			refresh();
		});
		undo.addClassName("undo");
		undo.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
		notification.add(new Span("Deleted “" + conversation.title() + "”."), undo);
		notification.open();
	}

	private void showSearch() {
		String query = search.getValue().strip();
		results.removeAll();
		boolean searching = !query.isEmpty();
		results.setVisible(searching);
		entries.setVisible(!searching);
		if (!searching) {
			return;
		}
		List<SearchHit> hits = conversations.search(user, query, SEARCH_LIMIT);
		if (hits.isEmpty()) {
			Span none = new Span("No messages match.");
			none.addClassName("history-empty");
			results.add(none);
		}
		for (SearchHit hit : hits) {
			Span title = new Span(hit.conversationTitle());
			title.addClassName("hit-title");
			Span snippet = new Span(hit.snippet());
			snippet.addClassName("hit-snippet");
			NativeButton result = new NativeButton("", e -> host.show(hit.conversationId()));
			result.add(title, snippet);
			result.addClassName("search-hit");
			result.getElement().setAttribute("data-pane-id", hit.conversationId().toString());
			results.add(result);
		}
	}

	/**
	 * Runs on the push thread, without the session lock: the reads an event calls for.
	 * Events that share a push share one read of the list (the first preparation after
	 * them makes it).
	 */
	private Runnable prepare(ConversationEvent event) {
		long read = reads.incrementAndGet();
		boolean gone = event.change() == Change.DELETED
				&& context.panes().conversation(user, event.conversationId()).isEmpty();
		Optional<Conversation> settings = event.change() == Change.SETTINGS
				? context.panes().openConversation(user, event.conversationId()) : Optional.empty();
		List<ConversationSummary> list = stale.getAndSet(false) ? conversations.list(user) : null;
		return () -> {
			switch (event.change()) {
				case RENAMED -> host.titleChanged(event.conversationId(),
						Objects.requireNonNull(event.title(), "a rename carries its title"));
				case SETTINGS -> settings.ifPresent(host::settingsChanged);
				case DELETED -> {
					// events reach this tab after its own direct actions: an Undo here,
					// which read the list again, may have come after this read
					if (gone && read >= shownRead) {
						host.removePane(event.conversationId());
					}
				}
				default -> {
					// the list below shows the rest
				}
			}
			if (list != null) {
				show(read, list);
			}
		};
	}

	@Override
	protected void onAttach(AttachEvent event) {
		UiUpdates updates = UiUpdates.of(event.getUI(), context.executors(), context.uiProperties());
		subscription = events.subscribe(user, e -> {
			stale.set(true);
			updates.submitPrepared(() -> prepare(e));
		});
		// whatever changed while detached
		refresh();
	}

	@Override
	protected void onDetach(DetachEvent event) {
		if (subscription != null) {
			subscription.close();
			subscription = null;
		}
	}

}
