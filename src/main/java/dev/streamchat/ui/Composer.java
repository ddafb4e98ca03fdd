package dev.streamchat.ui;

import java.util.function.Consumer;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.textfield.TextArea;

/**
 * The prompt and its Send button, which is Stop while an answer streams. Enter sends
 * (frontend/prompt-keys.js), through the owner's {@code submitPrompt} client call.
 */
@JavaScript("context://frontend/prompt-keys.js")
final class Composer extends Div {

    private final TextArea prompt = new TextArea();
    private final Button send = new Button("Send");
    private boolean streaming;

    /**
     * @param submit gets the prompt's text when Send is clicked
     * @param stop   runs when Stop is clicked
     */
    Composer(Consumer<String> submit, Runnable stop) {
        addClassName("composer");
        prompt.addClassName("prompt");
        prompt.setPlaceholder("Message… (Enter sends, Shift+Enter for a new line)");
        prompt.setAriaLabel("Message");
        prompt.setMaxHeight("12em");
        send.addClassName("send");
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        send.addClickListener(e -> {
            if (streaming) {
                stop.run();
            } else {
                submit.accept(prompt.getValue());
            }
        });
        add(prompt, send);
    }

    String promptText() {
        return prompt.getValue();
    }

    void setPromptText(String text) {
        prompt.setValue(text);
    }

    void clear() {
        prompt.clear();
    }

    /** Send becomes Stop while an answer streams, and back. */
    void showStreaming(boolean answering) {
        streaming = answering;
        send.setText(answering ? "Stop" : "Send");
        send.setClassName("stop", answering);
    }

    /** Enter sends, through {@code owner}'s {@code submitPrompt(text)} client call. */
    void enterSendsThrough(Component owner) {
        prompt.getElement().executeJs("StreamChat.enterSends(this, $0)", owner.getElement());
    }
}
