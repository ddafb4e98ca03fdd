package dev.streamchat.streaming.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.model.ModelRequest;
import org.springframework.stereotype.Component;

/** What the model is sent of a stored conversation: its turns, earlier tool calls included. */
@Component
public class ConversationTurns {

    private final ToolJson json;

    ConversationTurns(ToolJson json) {
        this.json = json;
    }

    /**
     * Model turns from stored messages. Failed and interrupted replies are incomplete attempts,
     * not part of the conversation; a stopped reply is what the user chose to keep.
     */
    public List<ModelRequest.Turn> turns(List<ChatMessage> messages) {
        return messages.stream()
                .filter(m -> !m.text().isEmpty() || !m.parts().isEmpty())
                .filter(m -> m.status() != MessageStatus.FAILED && m.status() != MessageStatus.INTERRUPTED)
                .map(m -> new ModelRequest.Turn(
                        m.role() == Role.USER ? ModelRequest.Author.USER : ModelRequest.Author.MODEL, m.text(),
                        m.parts().stream().map(this::toolUse).toList()))
                .toList();
    }

    /** {@link #turns} of {@code messages} followed by a new prompt. */
    public List<ModelRequest.Turn> turnsThen(List<ChatMessage> messages, String prompt) {
        List<ModelRequest.Turn> all = new ArrayList<>(turns(messages));
        all.add(new ModelRequest.Turn(ModelRequest.Author.USER, prompt));
        return all;
    }

    /** A stored tool call as the model was told of it: what it asked for, and the result or the error. */
    private ModelRequest.ToolUse toolUse(ToolPart part) {
        Map<String, Object> response = part.status() == ToolPart.ToolStatus.DONE
                ? json.read(Objects.requireNonNull(part.resultJson(), "a done call has its result"))
                : Map.of("error", part.error() == null ? "the tool did not finish" : part.error());
        return new ModelRequest.ToolUse(part.anchor(), part.name(), json.read(part.argsJson()), response);
    }
}
