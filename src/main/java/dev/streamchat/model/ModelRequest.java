package dev.streamchat.model;

import java.util.List;

/** A conversation to continue: the whole history of a pane, oldest first, ending with the user's turn. */
public record ModelRequest(String model, List<Turn> history) {

    public ModelRequest {
        history = List.copyOf(history);
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
