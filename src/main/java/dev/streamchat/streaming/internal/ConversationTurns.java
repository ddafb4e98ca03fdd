package dev.streamchat.streaming.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamchat.chat.Attachment;
import dev.streamchat.chat.AttachmentStore;
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
    private final AttachmentStore attachments;

    ConversationTurns(ToolJson json, AttachmentStore attachments) {
        this.json = json;
        this.attachments = attachments;
    }

    /**
     * Model turns from stored messages. Failed and interrupted replies are incomplete attempts,
     * not part of the conversation; a stopped reply is what the user chose to keep. A prompt's
     * files go with it every time, so a later prompt can still ask about them.
     */
    public List<ModelRequest.Turn> turns(List<ChatMessage> messages) {
        return messages.stream()
                .filter(m -> !m.text().isEmpty() || !m.parts().isEmpty() || !m.attachments().isEmpty())
                .filter(m -> m.status() != MessageStatus.FAILED && m.status() != MessageStatus.INTERRUPTED)
                .map(m -> new ModelRequest.Turn(
                        m.role() == Role.USER ? ModelRequest.Author.USER : ModelRequest.Author.MODEL, m.text(),
                        m.parts().stream().map(this::toolUse).toList(), files(m.attachments())))
                .toList();
    }

    /** {@link #turns} of {@code messages} followed by a new prompt. */
    public List<ModelRequest.Turn> turnsThen(List<ChatMessage> messages, String prompt) {
        return turnsThen(messages, prompt, List.of());
    }

    /** {@link #turns} of {@code messages} followed by a new prompt with these (stored) files. */
    public List<ModelRequest.Turn> turnsThen(List<ChatMessage> messages, String prompt, List<Attachment> files) {
        List<ModelRequest.Turn> all = new ArrayList<>(turns(messages));
        all.add(new ModelRequest.Turn(ModelRequest.Author.USER, prompt, List.of(), files(files)));
        return all;
    }

    private List<ModelRequest.Attachment> files(List<Attachment> stored) {
        return stored.stream().<ModelRequest.Attachment>map(file -> new StoredAttachment(file, attachments)).toList();
    }

    /** A stored tool call as the model was told of it: what it asked for, and the result or the error. */
    private ModelRequest.ToolUse toolUse(ToolPart part) {
        Map<String, Object> response = part.status() == ToolPart.ToolStatus.DONE
                ? json.read(part.resultJson())
                : Map.of("error", part.error() == null ? "the tool did not finish" : part.error());
        return new ModelRequest.ToolUse(part.anchor(), part.name(), json.read(part.argsJson()), response);
    }
}
