package dev.streamchat.ui;

import java.util.List;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.streamchat.chat.Pane;
import dev.streamchat.security.UserId;
import jakarta.annotation.security.PermitAll;

/** The chat screen: the user's panes side by side, and a button to open another. */
@Route("")
@PageTitle("StreamChat")
@PermitAll
public class ChatView extends Div {

    private final ChatPaneContext context;
    private final UserId user;
    private final Div panes = new Div();

    ChatView(ChatPaneContext context) {
        this.context = context;
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
        Button addPane = new Button("+ Add pane", e -> addPane(context.store().createPane(user, context.catalog().defaultModel())));
        addPane.setId("add-pane");
        addPane.addThemeVariants(ButtonVariant.LUMO_CONTRAST);
        Span name = new Span(context.currentUser().name().orElse(""));
        name.addClassName("app-user");
        Button logout = new Button("Sign out", e -> context.authentication().logout());
        logout.setId("logout");
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        header.add(addPane, name, logout);

        panes.addClassName("panes");
        add(header, panes);

        List<Pane> open = context.store().openPanes(user);
        if (open.isEmpty()) {
            open = List.of(context.store().createPane(user, context.catalog().defaultModel()));
        }
        open.forEach(this::addPane);
    }

    private void addPane(Pane pane) {
        ChatPane[] created = new ChatPane[1];
        created[0] = new ChatPane(pane, context, () -> {
            context.store().closePane(user, pane.id());
            panes.remove(created[0]);
        });
        panes.add(created[0]);
    }
}
