package dev.streamchat.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.streamchat.chat.Pane;
import dev.streamchat.chat.PaneId;
import dev.streamchat.history.Conversations;
import dev.streamchat.security.UserId;
import jakarta.annotation.security.PermitAll;

/** The chat screen: the list of the user's conversations, their open panes side by side, and a button to open another. */
@Route("")
@PageTitle("StreamChat")
@PermitAll
public class ChatView extends Div implements HistoryList.PaneHost {

    private final ChatPaneContext context;
    private final Conversations conversations;
    private final UserId user;
    private final Div panes = new Div();
    private final Map<PaneId, ChatPane> shown = new LinkedHashMap<>();
    private final HistoryList history;

    ChatView(ChatPaneContext context) {
        this.context = context;
        this.conversations = context.conversations();
        this.user = context.currentUser().require();
        addClassName("chat-view");

        H1 title = new H1("StreamChat");
        title.addClassName("app-title");
        Div header = new Div(title);
        header.addClassName("app-header");
        if (context.catalog().demo()) {
            Span demo = new Span("Demo model: offline canned answers. Set GEMINI_API_KEY to chat with Gemini.");
            demo.addClassName("demo-badge");
            header.add(demo);
        }
        Button addPane = new Button("+ Add pane", e -> newChat());
        addPane.setId("add-pane");
        addPane.addThemeVariants(ButtonVariant.LUMO_CONTRAST);
        Span name = new Span(context.currentUser().name().orElse(""));
        name.addClassName("app-user");
        Button logout = new Button("Sign out", e -> context.authentication().logout());
        logout.setId("logout");
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        header.add(addPane, name, logout);

        panes.addClassName("panes");
        history = new HistoryList(context, user, this);
        Div body = new Div(history, panes);
        body.addClassName("chat-body");
        add(header, body);

        List<Pane> open = context.panes().openPanes(user);
        if (open.isEmpty()) {
            open = List.of(conversations.create(user));
        }
        open.forEach(this::addPane);
    }

    @Override
    public void newChat() {
        addPane(conversations.create(user));
        // this tab's list at once; the event (for the user's other tabs) comes back here later
        history.refresh();
    }

    @Override
    public void addPane(Pane pane) {
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
    }

    @Override
    public boolean removePane(PaneId id) {
        ChatPane gone = shown.remove(id);
        if (gone != null) {
            panes.remove(gone);
        }
        return gone != null;
    }

    @Override
    public void show(PaneId id) {
        ChatPane pane = shown.get(id);
        if (pane == null) {
            conversations.open(user, id).ifPresent(this::addPane);
            pane = shown.get(id);
            history.refresh();
        }
        if (pane != null) {
            highlight(pane);
        }
    }

    /** Marks the pane as the one just asked for and brings it into view. */
    private void highlight(ChatPane pane) {
        shown.values().forEach(p -> p.removeClassName("highlighted"));
        pane.addClassName("highlighted");
        pane.getElement().executeJs("""
                this.scrollIntoView({behavior: 'smooth', block: 'nearest', inline: 'nearest'});
                this.classList.remove('flash'); void this.offsetWidth; this.classList.add('flash');""");
    }

    @Override
    /** A conversation's model or settings changed, here or in another tab: its pane shows them as stored. */
    public void settingsChanged(PaneId id) {
        ChatPane pane = shown.get(id);
        if (pane != null) {
            context.panes().pane(user, id).ifPresent(pane::showSettings);
        }
    }

    public void titleChanged(PaneId id, String title) {
        ChatPane pane = shown.get(id);
        if (pane != null) {
            pane.showTitle(title);
        }
    }
}
