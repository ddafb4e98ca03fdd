package dev.streamchat.model;

import java.util.List;

/**
 * A conversation to continue: the whole history of a pane, oldest first, ending with the user's
 * turn, plus the pane's settings and the tools the model may call.
 *
 * @param systemInstruction null or blank for none
 * @param temperature       null for the model's default
 */
public record ModelRequest(String model, List<Turn> history, String systemInstruction, Double temperature,
                           List<ToolSpec> tools) {

    public ModelRequest {
        history = List.copyOf(history);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public ModelRequest(String model, List<Turn> history) {
        this(model, history, null, null, List.of());
    }

    public record Turn(Author author, String text) {
    }

    public enum Author {
        USER, MODEL
    }

    public String lastUserText() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).author() == Author.USER) {
                return history.get(i).text();
            }
        }
        return "";
    }
}
