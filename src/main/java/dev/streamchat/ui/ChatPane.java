package dev.streamchat.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.function.Supplier;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextArea;
import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.Pane;
import dev.streamchat.chat.PaneId;
import dev.streamchat.chat.Role;
import dev.streamchat.streaming.LiveReply;
import dev.streamchat.history.ConversationBusyException;
import dev.streamchat.streaming.PromptRejectedException;

/**
 * One conversation: its messages, a model picker and a prompt. It follows its pane's events
 * while attached (subscribe first, then load, so nothing falls between the two) and sends
 * commands to the streaming service; it never writes messages itself.
 */
final class ChatPane extends Div {

    private final Pane pane;
    private final ChatPaneContext context;
    private final SequencedMap<MessageId, MessageRow> rows = new LinkedHashMap<>();
    private final Div list = new Div();
    /** Shown above the oldest message loaded while older ones exist; scrolling near it loads them too. */
    private final Button older = new Button("Load older messages");
    private final Div scroller = new Div(older, list);
    private final TextArea prompt = new TextArea();
    private final Button send = new Button("Send");
    private final Span promptError = new Span();
    private final Span title = new Span();
    private final Select<String> model = new Select<>();
    private final TextArea instruction = new TextArea("System instructions");
    private final NumberField temperature = new NumberField("Temperature");
    private MessageBroadcaster.Subscription subscription;
    /** The reply streaming in this pane, from any tab; null when idle. */
    private MessageId activeReply;
    /** The row whose Retry action is offered, if any. */
    private MessageRow retryOfferedBy;

    ChatPane(Pane pane, ChatPaneContext context, Runnable onClose) {
        this.pane = pane;
        this.context = context;
        addClassName("pane");
        getElement().setAttribute("data-pane-id", pane.id().toString());

        title.setText(pane.title());
        title.addClassName("pane-title");
        model.addClassName("model-picker");
        model.setItems(context.catalog().models());
        model.setValue(context.catalog().resolve(pane.model()));
        model.setEnabled(context.catalog().models().size() > 1);
        model.setAriaLabel("Model");
        model.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                context.conversations().changeModel(pane.owner(), pane.id(), e.getValue());
            }
        });
        Button close = new Button("×", e -> onClose.run());
        close.addClassName("close-pane");
        close.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        close.setAriaLabel("Close pane");
        Div settings = settingsPanel();
        Button settingsToggle = new Button("⚙", e -> settings.setVisible(!settings.isVisible()));
        settingsToggle.addClassName("settings-toggle");
        settingsToggle.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        settingsToggle.setAriaLabel("Conversation settings");
        Div header = new Div(title, model, settingsToggle, close);
        header.addClassName("pane-header");

        list.addClassName("message-list");
        scroller.addClassName("messages");
        older.addClassName("load-older");
        older.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        older.setVisible(false);
        older.addClickListener(e -> loadOlder());
        Button jump = new Button("↓ Jump to latest");
        jump.addClassName("jump-latest");
        jump.addThemeVariants(ButtonVariant.LUMO_SMALL);

        prompt.addClassName("prompt");
        prompt.setPlaceholder("Message… (Enter sends, Shift+Enter for a new line)");
        prompt.setAriaLabel("Message");
        prompt.setMaxHeight("12em");
        send.addClassName("send");
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        send.addClickListener(e -> {
            if (activeReply != null) {
                context.streaming().stop(pane.owner(), activeReply);
            } else {
                submit(prompt.getValue());
            }
        });
        promptError.addClassName("prompt-error");
        promptError.setVisible(false);
        Div composer = new Div(prompt, send);
        composer.addClassName("composer");

        add(header, settings, scroller, jump, promptError, composer);
    }

    /** System instructions and temperature, remembered with the conversation and sent with every prompt. */
    private Div settingsPanel() {
        instruction.addClassName("system-instruction");
        instruction.setPlaceholder("e.g. Answer briefly, in British English.");
        instruction.setValue(pane.systemInstruction() == null ? "" : pane.systemInstruction());
        instruction.setWidthFull();
        instruction.setMaxHeight("10em");
        temperature.addClassName("temperature");
        temperature.setMin(0);
        temperature.setMax(2);
        temperature.setStep(0.1);
        temperature.setStepButtonsVisible(true);
        temperature.setPlaceholder("model default");
        temperature.setHelperText("0 – 2; empty: the model's default");
        temperature.setValue(pane.temperature());
        Span saved = new Span();
        saved.addClassName("settings-saved");
        Button save = new Button("Save", e -> {
            Double value = temperature.getValue();
            if (value != null && (value < 0 || value > 2)) {
                saved.setText("Temperature must be between 0 and 2.");
                return;
            }
            context.conversations().changeSettings(pane.owner(), pane.id(), instruction.getValue(), value);
            saved.setText("Saved: used from the next message on.");
        });
        save.addClassName("save-settings");
        save.addThemeVariants(ButtonVariant.LUMO_SMALL);
        Div panel = new Div(instruction, temperature, new Div(save, saved));
        panel.addClassName("pane-settings");
        panel.setVisible(false);
        return panel;
    }

    PaneId paneId() {
        return pane.id();
    }

    /** The conversation's model or settings changed (here or in another tab): show them as stored. */
    void showSettings(Pane changed) {
        model.setValue(context.catalog().resolve(changed.model()));
        instruction.setValue(changed.systemInstruction() == null ? "" : changed.systemInstruction());
        temperature.setValue(changed.temperature());
    }

    /** The conversation was renamed (here, in another tab, or automatically). */
    void showTitle(String newTitle) {
        title.setText(newTitle);
    }

    /**
     * Enter in the prompt (see the key handler installed on attach). The handler fires the field's
     * change event first, so the value reaches the server the normal way and clearing it afterwards
     * is a change the browser is told about.
     */
    @ClientCallable
    void submitPrompt(String text) {
        if (text != null && !text.equals(prompt.getValue())) {
            prompt.setValue(text);
        }
        submit(prompt.getValue());
    }

    private void submit(String text) {
        if (attempt(() -> context.streaming().send(pane.owner(), pane.id(), text))) {
            prompt.clear();
        }
    }

    /**
     * Runs a command of the user's; a refusal (empty prompt, still streaming, limit reached…) is
     * shown above the prompt, and cleared by the next command that goes through.
     *
     * @return whether it went through
     */
    private boolean attempt(Runnable command) {
        try {
            command.run();
            promptError.setVisible(false);
            return true;
        } catch (PromptRejectedException | ConversationBusyException rejected) {
            promptError.setText(rejected.getMessage());
            promptError.setVisible(true);
            return false;
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        UiUpdates updates = UiUpdates.of(event.getUI(), context.executors(), context.uiProperties());
        subscription = context.broadcaster().subscribe(pane.id(), e -> updates.submit(() -> apply(e)));
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
        retryOfferedBy = null;
        list.removeAll();
        setActiveReply(null);
        List<ChatMessage> latest = context.messages().page(pane.owner(), pane.id(), null,
                context.uiProperties().pageSize());
        latest.forEach(message -> addRow(live(message)));
        showVersionsOf(latest);
        setHasOlder(latest.size() == context.uiProperties().pageSize());
        offerRetryOnLatest();
    }

    /**
     * The page of messages before the oldest one shown, put above it (the browser asks as the user
     * scrolls near the top, and keeps what they are looking at in place).
     */
    @ClientCallable
    void loadOlder() {
        if (rows.isEmpty() || !older.isVisible()) {
            return;
        }
        MessageId oldest = rows.firstEntry().getKey();
        List<ChatMessage> page = context.messages().page(pane.owner(), pane.id(), oldest, context.uiProperties().pageSize());
        for (int i = page.size() - 1; i >= 0; i--) {
            MessageRow row = createRow(live(page.get(i)));
            rows.putFirst(page.get(i).id(), row);
            list.addComponentAsFirst(row);
        }
        showVersionsOf(page);
        setHasOlder(page.size() == context.uiProperties().pageSize());
    }

    /**
     * A button of a message's header was clicked (copy, regenerate, edit, delete, a version switch):
     * one listener per pane sends the message and the button, and only a row this pane shows acts.
     */
    @ClientCallable
    void messageAction(String messageId, String action) {
        MessageRow row;
        try {
            row = rows.get(new MessageId(Long.parseLong(messageId)));
        } catch (NumberFormatException notAnId) {
            return;
        }
        if (row != null) {
            row.runAction(action);
        }
    }

    /**
     * Nothing to do: the browser calls this when an answer it shows as streaming has not changed
     * for {@code chat.ui.stall-check}, and the response to any call carries the changes a stuck
     * push held back.
     */
    @ClientCallable
    void catchUp() {
    }

    private void setHasOlder(boolean hasOlder) {
        older.setVisible(hasOlder);
        getElement().setAttribute("data-has-older", hasOlder);
    }

    /** A message as this server knows it: a reply streaming here is ahead of storage by up to one batch. */
    private ChatMessage live(ChatMessage message) {
        if (!message.isStreaming()) {
            return message;
        }
        return context.streaming().live(message.id())
                .map(live -> message.withLive(live.text(), live.thinking(), live.parts()))
                .orElse(message);
    }

    /**
     * Puts a "2 / 3" switcher on each shown message that has other versions (edited prompts,
     * regenerated answers); switching changes the conversation in every view of the pane.
     */
    private void showVersionsOf(List<ChatMessage> shown) {
        context.messages().versions(pane.owner(), pane.id(), shown).forEach((id, versions) -> {
            MessageRow row = rows.get(id);
            if (row != null) {
                row.showVersions(versions.number(), versions.count(), switchTo(versions.previous()),
                        switchTo(versions.next()));
            }
        });
    }

    private Runnable switchTo(MessageId version) {
        return version == null ? null : () -> attempt(() -> context.edits().chooseVersion(pane.owner(), version));
    }

    private void apply(MessageEvent event) {
        switch (event) {
            case MessageEvent.Added added -> {
                if (!rows.containsKey(added.messageId())) {
                    addRow(added.message());
                    offerRetryOnLatest();
                }
            }
            // another path through the conversation: show it as stored (the latest page again)
            case MessageEvent.PathChanged changed -> load();
            case MessageEvent.Removed removed -> {
                MessageRow gone = rows.remove(removed.messageId());
                if (gone != null) {
                    list.remove(gone);
                    offerRetryOnLatest();
                }
            }
            case MessageEvent.PhaseChanged changed -> row(changed).ifPresent(r -> r.apply(changed));
            case MessageEvent.Delta delta -> row(delta).ifPresent(r -> r.apply(delta, reload(delta.messageId())));
            case MessageEvent.ThoughtDelta delta -> row(delta).ifPresent(r -> r.apply(delta, reload(delta.messageId())));
            case MessageEvent.ToolUpdate update -> row(update).ifPresent(r -> r.apply(update, reload(update.messageId())));
            case MessageEvent.Finished finished -> row(finished).ifPresent(r -> {
                r.apply(finished, reload(finished.messageId()));
                if (finished.messageId().equals(activeReply)) {
                    setActiveReply(null);
                }
                offerRetryOnLatest();
            });
        }
    }

    /** Retry belongs to the latest answer only: the conversation goes on from there. */
    private void offerRetryOnLatest() {
        MessageRow latest = rows.isEmpty() ? null : rows.lastEntry().getValue();
        if (retryOfferedBy != null && retryOfferedBy != latest) {
            retryOfferedBy.offerRetry(false, null);
        }
        retryOfferedBy = latest;
        if (latest != null) {
            MessageId id = latest.messageId();
            latest.offerRetry(true, () -> attempt(() -> context.streaming().retry(pane.owner(), id)));
        }
    }

    private java.util.Optional<MessageRow> row(MessageEvent event) {
        return java.util.Optional.ofNullable(rows.get(event.messageId()));
    }

    private Supplier<LiveReply> reload(MessageId id) {
        return () -> context.streaming().live(id).orElseGet(() -> context.messages().message(pane.owner(), id)
                .map(m -> new LiveReply(m.text(), m.thinking(), m.parts()))
                .orElse(new LiveReply("", "", java.util.List.of())));
    }

    private void addRow(ChatMessage message) {
        MessageRow row = createRow(message);
        rows.put(message.id(), row);
        list.add(row);
    }

    private MessageRow createRow(ChatMessage message) {
        MessageRow row = new MessageRow(message, context.markdown(), context.uiProperties().liveTailChars());
        MessageId id = message.id();
        if (message.role() == Role.USER) {
            row.addAction("Edit", "edit-prompt", "Edit and send again", () -> context.messages()
                    .message(pane.owner(), id).ifPresent(m -> row.openEditor(m.text(),
                            text -> attempt(() -> context.streaming().edit(pane.owner(), id, text)))));
        }
        if (message.role() == Role.ASSISTANT) {
            row.addAction("Regenerate", "regenerate", "Answer this prompt again",
                    () -> attempt(() -> context.streaming().regenerate(pane.owner(), id)));
            // the answer as markdown, read when asked for rather than kept in every row
            row.addAction("Copy", "copy-answer", "Copy answer as markdown", () -> context.messages()
                    .message(pane.owner(), id).ifPresent(m -> row.copyToClipboard(m.text())));
        }
        // the browser asks once more before it calls this (see installClientBehaviour): deleting cannot be undone
        row.addAction("Delete", "delete-exchange", "Delete this prompt and its answer",
                () -> attempt(() -> context.edits().deleteExchange(pane.owner(), id)));
        if (message.role() == Role.ASSISTANT && message.isStreaming()) {
            setActiveReply(message.id());
        }
        return row;
    }

    private void setActiveReply(MessageId reply) {
        activeReply = reply;
        send.setText(reply == null ? "Send" : "Stop");
        send.setClassName("stop", reply != null);
    }

    /**
     * Browser-side behaviour that must not cost a round trip: Enter to send, and sticking to the
     * bottom while an answer grows (follow at most every 100 ms; stop following when the user
     * scrolls up, and offer a jump back).
     */
    private void installClientBehaviour() {
        prompt.getElement().executeJs("""
                if (this.__enterSends) return;
                this.__enterSends = true;
                this.addEventListener('keydown', e => {
                  if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.isComposing) {
                    e.preventDefault();
                    this.dispatchEvent(new Event('change'));
                    $0.$server.submitPrompt(this.value);
                  }
                });""", getElement());
        list.getElement().executeJs("""
                if (this.__copyCode) return;
                this.__copyCode = true;
                const pane = $0;
                this.addEventListener('click', e => {
                  const action = e.target.closest('button[data-action]');
                  if (action) {
                    if (action.disabled) return;
                    // deleting cannot be undone: the first click only asks
                    if (action.dataset.action === 'delete-exchange' && !action.classList.contains('confirm')) {
                      action.classList.add('confirm');
                      action.textContent = 'Delete both?';
                      return;
                    }
                    pane.$server.messageAction(action.closest('.message').dataset.messageId, action.dataset.action);
                    return;
                  }
                  const button = e.target.closest('.copy-code');
                  if (!button) return;
                  const text = button.nextElementSibling.innerText;
                  const done = () => { button.textContent = 'Copied'; setTimeout(() => button.textContent = 'Copy', 1500); };
                  if (navigator.clipboard && window.isSecureContext) {
                    navigator.clipboard.writeText(text).then(done, done);
                  } else {
                    const area = document.createElement('textarea');
                    area.value = text; document.body.appendChild(area); area.select();
                    document.execCommand('copy'); area.remove(); done();
                  }
                });""", getElement());
        scroller.getElement().executeJs("""
                const scroller = this, pane = $0;
                if (scroller.__follow) return;
                scroller.__follow = true;
                let stick = true, timer = null, autoTop = 0;
                const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
                const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; autoTop = scroller.scrollTop; };
                const follow = () => { timer = null; if (stick) toBottom(); };
                const setStick = value => { stick = value; pane.toggleAttribute('detached', !value); };
                // Only a move up from where we last scrolled to is the user's: content growing
                // between our scroll and its event must not stop the following.
                // Near the top, the page before the oldest message is fetched and put above it,
                // keeping what the user looks at in place.
                let loading = false;
                const loadOlder = () => {
                  if (loading || !pane.hasAttribute('data-has-older')) return;
                  loading = true;
                  const fromBottom = scroller.scrollHeight - scroller.scrollTop;
                  pane.$server.loadOlder().then(() => requestAnimationFrame(() => {
                    scroller.scrollTop = scroller.scrollHeight - fromBottom;
                    autoTop = scroller.scrollTop;
                    loading = false;
                  }), () => { loading = false; });
                };
                scroller.addEventListener('scroll', () => {
                  if (atBottom()) setStick(true);
                  else if (scroller.scrollTop < autoTop - 4) setStick(false);
                  // our own scrolls go to the bottom, so being near the top is the user's doing
                  if (scroller.scrollTop < 200 && !atBottom()) loadOlder();
                }, {passive: true});
                // Follow sizes, not mutations: the list grows (text, a class that shows a row's
                // buttons, a line wrapping in a narrow pane) or the view shrinks (the prompt grows a
                // line when Stop turns back into Send); either way a following pane stays at the bottom.
                const resized = new ResizeObserver(() => {
                  if (stick && timer === null) timer = setTimeout(follow, 100);
                });
                resized.observe(scroller.querySelector('.message-list'));
                resized.observe(scroller);
                let lastChange = Date.now();
                new MutationObserver(() => { lastChange = Date.now(); })
                    .observe(scroller, {childList: true, subtree: true, characterData: true});
                // A push can get stuck on the server until the browser next sends something
                // (vaadin/flow#20837): while an answer streams but nothing changed for a while,
                // ask once, and the reply carries whatever was held back.
                const watchdog = setInterval(() => {
                  if (!pane.isConnected) { clearInterval(watchdog); return; }
                  if (Date.now() - lastChange > $1 && pane.querySelector('.message.streaming')) {
                    lastChange = Date.now();
                    pane.$server.catchUp();
                  }
                }, 500);
                pane.querySelector('.jump-latest').addEventListener('click', () => { setStick(true); toBottom(); });
                toBottom();
                // once more after the first layout: the rows may not have had their height yet
                requestAnimationFrame(() => { if (stick) toBottom(); });""", getElement(),
                context.uiProperties().stallCheck().toMillis());
    }
}
