package dev.streamchat.ui;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.Div;
import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.Versions;
import dev.streamchat.streaming.LiveReply;
import org.jspecify.annotations.Nullable;

/**
 * One conversation's pane, showing its messages as stored and as they stream: it loads
 * them page by page and, while attached, applies the conversation's events to them
 * (subscribe first, then load, so nothing falls between the two); its header, prompt and
 * row actions are parts of their own, and it never writes messages itself.
 */
@JavaScript("context://frontend/actions.js")
@JavaScript("context://frontend/follow.js")
@JavaScript("context://frontend/stall-watchdog.js")
@JavaScript("context://webjars/highlightjs/highlight.min.js")
@JavaScript("context://webjars/katex/dist/katex.min.js")
@JavaScript("context://frontend/render.js")
@JavaScript("context://frontend/citations.js")
@StyleSheet("context://webjars/highlightjs/styles/github.min.css")
@StyleSheet("context://webjars/katex/dist/katex.min.css")
final class ChatPane extends Div {

	private final Conversation pane;

	private final ChatPaneContext context;

	private final PaneRows rows = new PaneRows();

	/**
	 * Shown above the oldest message loaded while older ones exist; scrolling near it
	 * loads them too.
	 */
	private final Button older = new Button("Load older messages");

	private final Div scroller = new Div(older, rows.list());

	private final PaneHeader header;

	private final Composer composer;

	private final Refusals refusals = new Refusals();

	private final RowActions actions;

	/**
	 * Streaming markdown rendered by the push thread before it takes the session lock.
	 */
	private final PreparedMarkdown prepared;

	private final PaneAnnouncer announcer = new PaneAnnouncer();

	private final PaneSettings settings;

	/** To this pane's events while attached; null while detached. */
	private MessageBroadcaster.@Nullable Subscription subscription;

	/** The reply streaming in this pane, from any tab; null when idle. */
	private @Nullable MessageId activeReply;

	ChatPane(Conversation pane, ChatPaneContext context, Runnable onClose) {
		this.pane = pane;
		this.context = context;
		this.prepared = new PreparedMarkdown(context.markdown(), context.uiProperties().liveTailChars());
		addClassName("pane");
		getElement().setAttribute("data-pane-id", pane.id().toString());
		// a landmark per conversation, named by its title
		getElement().setAttribute("role", "region");
		getElement().setAttribute("aria-label", pane.title());

		settings = new PaneSettings(pane, context.conversations());
		header = new PaneHeader(pane, context, settings, onClose);
		actions = new RowActions(pane, context, rows, refusals);

		scroller.addClassName("messages");
		// reachable from the keyboard, so that it can be scrolled without a mouse
		scroller.getElement().setAttribute("tabindex", "0");
		scroller.getElement().setAttribute("role", "group");
		scroller.getElement().setAttribute("aria-label", "Messages");
		older.addClassName("load-older");
		older.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
		older.setVisible(false);
		older.addClickListener(e -> loadOlder());
		Button jump = new Button("↓ Jump to latest");
		jump.addClassName("jump-latest");
		jump.addThemeVariants(ButtonVariant.LUMO_SMALL);

		composer = new Composer(
				(text, files) -> refusals.attempt(() -> context.streaming().send(pane.owner(), pane.id(), text, files)),
				() -> {
					if (activeReply != null) {
						context.streaming().stop(pane.owner(), activeReply);
					}
				}, new AttachmentTray(context.attachmentIntake()), refusals);

		add(header, settings, scroller, jump, refusals.component(), composer);
		add(announcer.regions());
	}

	ConversationId paneId() {
		return pane.id();
	}

	/**
	 * The conversation's model or settings changed (here or in another tab): show them as
	 * stored.
	 */
	void showSettings(Conversation changed) {
		header.showSettings(changed);
		settings.show(changed);
	}

	/** The conversation was renamed (here, in another tab, or automatically). */
	void showTitle(String newTitle) {
		header.showTitle(newTitle);
		getElement().setAttribute("aria-label", newTitle);
	}

	String title() {
		return header.title();
	}

	/**
	 * Enter in the prompt (see the key handler installed on attach): the composer sends
	 * it.
	 */
	@ClientCallable
	void submitPrompt(String text) {
		composer.submitTyped(text);
	}

	/**
	 * The browser is about to upload a file (attach button, drop or paste): its chip
	 * appears.
	 * @return the token the upload carries, or null when the file cannot be attached (its
	 * chip says why)
	 */
	@ClientCallable
	@Nullable String beginAttachment(String name, double size, String type) {
		return composer.tray().begin(name, (long) size, type);
	}

	/**
	 * The browser could not finish uploading a file (the connection broke, or it was
	 * aborted).
	 */
	@ClientCallable
	void attachmentFailed(String token, String reason) {
		composer.tray().uploadFailed(token, reason == null ? "connection lost" : reason);
	}

	/**
	 * What a command from outside the pane (Send to all) made of it: a refusal, or null
	 * when it went through.
	 */
	void showRefusal(@Nullable String refusal) {
		refusals.show(refusal);
	}

	@Override
	protected void onAttach(AttachEvent event) {
		UiUpdates updates = UiUpdates.of(event.getUI(), context.executors(), context.uiProperties());
		subscription = context.broadcaster()
			.subscribe(pane.id(), e -> updates.submitPrepared(() -> prepare(e, updates)));
		load();
		installClientBehaviour();
	}

	@Override
	protected void onDetach(DetachEvent event) {
		if (subscription != null) {
			subscription.close();
			subscription = null;
		}
	}

	private void load() {
		rows.clear();
		actions.forgetRetry();
		setActiveReply(null);
		List<ChatMessage> latest = context.messages()
			.page(pane.owner(), pane.id(), null, context.uiProperties().pageSize());
		Map<MessageId, Versions> versions = versionsOf(latest);
		latest.forEach(message -> addRow(live(message), versions.get(message.id())));
		setHasOlder(latest.size() == context.uiProperties().pageSize());
		actions.offerRetryOnLatest();
	}

	/**
	 * The page of messages before the oldest one shown, put above it (the browser asks as
	 * the user scrolls near the top, and keeps what they are looking at in place).
	 */
	@ClientCallable
	void loadOlder() {
		if (!older.isVisible()) {
			return;
		}
		MessageRow first = rows.oldest();
		if (first == null) {
			return;
		}
		MessageId oldest = first.messageId();
		List<ChatMessage> page = context.messages()
			.page(pane.owner(), pane.id(), oldest, context.uiProperties().pageSize());
		Map<MessageId, Versions> versions = versionsOf(page);
		for (int i = page.size() - 1; i >= 0; i--) {
			ChatMessage message = page.get(i);
			rows.addFirst(createRow(live(message), versions.get(message.id())));
		}
		setHasOlder(page.size() == context.uiProperties().pageSize());
	}

	/**
	 * A button of a message's header was clicked (copy, regenerate, edit, delete, a
	 * version switch): one listener per pane sends the message and the button, and the
	 * row actions run it.
	 */
	@ClientCallable
	void messageAction(String messageId, String action) {
		actions.run(messageId, action);
	}

	/**
	 * Nothing to do: the browser calls this when an answer it shows as streaming has not
	 * changed for {@code chat.ui.stall-check}, and the response to any call carries the
	 * changes a stuck push held back.
	 */
	@ClientCallable
	void catchUp() {
	}

	private void setHasOlder(boolean hasOlder) {
		older.setVisible(hasOlder);
		getElement().setAttribute("data-has-older", hasOlder);
	}

	/**
	 * A message as this server knows it: a reply streaming here is ahead of storage by up
	 * to one batch.
	 */
	private ChatMessage live(ChatMessage message) {
		if (!message.isStreaming()) {
			return message;
		}
		return context.streaming()
			.live(pane.owner(), message.id())
			.map(live -> message.withLive(live.text(), live.thinking(), live.parts(), live.seams(),
					live.grounding() != null ? live.grounding() : message.grounding()))
			.orElse(message);
	}

	/**
	 * Where each shown message that has other versions (edited prompts, regenerated
	 * answers) stands among them: its header shows a "2 / 3" switcher.
	 */
	private Map<MessageId, Versions> versionsOf(List<ChatMessage> shown) {
		return context.messages().versions(pane.owner(), pane.id(), shown);
	}

	/**
	 * On the push thread, before the session lock: renders the markdown the event will
	 * show (the tails once per push, after its deltas); returns the change to make under
	 * the lock.
	 */
	private Runnable prepare(MessageEvent event, UiUpdates updates) {
		switch (event) {
			case MessageEvent.Delta delta -> {
				if (prepared.follow(delta,
						() -> context.streaming().live(pane.owner(), delta.messageId()).map(LiveReply::text))) {
					updates.submitPrepared(() -> {
						prepared.renderTails();
						return () -> {
						};
					});
				}
			}
			case MessageEvent.Finished finished -> prepared.forget(finished.messageId());
			case MessageEvent.PathChanged changed -> prepared.forgetAll();
			// taken up on another node from what was stored: follow it afresh from there
			case MessageEvent.Resumed resumed -> prepared.forget(resumed.messageId());
			default -> {
				// nothing to render ahead
			}
		}
		return () -> apply(event);
	}

	private void apply(MessageEvent event) {
		switch (event) {
			case MessageEvent.Added added -> {
				if (!rows.contains(added.messageId())) {
					addRow(added.message(), null);
					actions.offerRetryOnLatest();
					if (added.message().role() == Role.ASSISTANT && added.message().isStreaming()) {
						announcer.answering(added.message().model());
					}
				}
			}
			// another path through the conversation: show it as stored (the latest page
			// again)
			case MessageEvent.PathChanged changed -> load();
			case MessageEvent.Removed removed -> {
				if (rows.remove(removed.messageId()) != null) {
					actions.offerRetryOnLatest();
				}
			}
			case MessageEvent.PhaseChanged changed -> row(changed).ifPresent(r -> {
				r.apply(changed);
				if (changed.phase() == MessageEvent.Phase.RETRYING) {
					announcer.retrying(changed.detail());
				}
			});
			case MessageEvent.Delta delta -> row(delta).ifPresent(r -> r.apply(delta, reload(delta.messageId())));
			case MessageEvent.ThoughtDelta delta ->
				row(delta).ifPresent(r -> r.apply(delta, reload(delta.messageId())));
			case MessageEvent.ToolUpdate update ->
				row(update).ifPresent(r -> r.apply(update, reload(update.messageId())));
			case MessageEvent.Resumed resumed ->
				row(resumed).ifPresent(r -> r.apply(resumed, reload(resumed.messageId())));
			case MessageEvent.Grounded grounded -> row(grounded).ifPresent(r -> r.apply(grounded));
			case MessageEvent.Finished finished -> row(finished).ifPresent(r -> {
				r.apply(finished, reload(finished.messageId()));
				announcer.finished(finished.status(), finished.error());
				if (finished.messageId().equals(activeReply)) {
					setActiveReply(null);
				}
				actions.offerRetryOnLatest();
			});
		}
	}

	private Optional<MessageRow> row(MessageEvent event) {
		return Optional.ofNullable(rows.get(event.messageId()));
	}

	private Supplier<LiveReply> reload(MessageId id) {
		return () -> context.streaming()
			.live(pane.owner(), id)
			.orElseGet(() -> context.messages()
				.message(pane.owner(), id)
				.map(m -> new LiveReply(m.text(), m.thinking(), m.parts(), m.seams(), m.grounding()))
				.orElse(new LiveReply("", "", List.of())));
	}

	private void addRow(ChatMessage message, @Nullable Versions versions) {
		rows.addLast(createRow(message, versions));
	}

	private MessageRow createRow(ChatMessage message, @Nullable Versions versions) {
		MessageRow row = MessageRow.of(message, versions, prepared.renderer(), context.uiProperties().liveTailChars());
		if (message.role() == Role.ASSISTANT && message.isStreaming()) {
			setActiveReply(message.id());
		}
		return row;
	}

	private void setActiveReply(@Nullable MessageId reply) {
		activeReply = reply;
		composer.showStreaming(reply != null);
	}

	/**
	 * Browser-side behaviour that must not cost a round trip, from the modules in
	 * frontend/: Enter sends, the prompt kept until it is sent, the buttons inside
	 * messages, following the newest line in the frame it grows in,
	 * highlighting/math/diagrams for settled blocks, and the stall watchdog.
	 */
	private void installClientBehaviour() {
		composer.enterSendsThrough(this);
		composer.attachmentsThrough(this);
		composer.keepDraftAs("pane-" + pane.id());
		rows.list()
			.getElement()
			.executeJs("StreamChat.messageActions(this, $0); StreamChat.renderBlocks(this); "
					+ "StreamChat.citations(this)", getElement());
		scroller.getElement().executeJs("StreamChat.follow($0, this)", getElement());
		getElement().executeJs("StreamChat.watchStalls(this, $0)", context.uiProperties().stallCheck().toMillis());
	}

}
