package dev.streamchat.streaming.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.streamchat.chat.Attachment;
import dev.streamchat.chat.AttachmentStore;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.model.ModelRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What the model is sent of a stored conversation: its turns, earlier tool calls
 * included.
 */
@Component
public class ConversationTurns {

	private final ToolJson json;

	private final AttachmentStore attachments;

	ConversationTurns(ToolJson json, AttachmentStore attachments) {
		this.json = json;
		this.attachments = attachments;
	}

	/**
	 * Model turns from stored messages. Failed and interrupted replies are incomplete
	 * attempts, not part of the conversation; a stopped reply is what the user chose to
	 * keep. A prompt's files go with it every time, so a later prompt can still ask about
	 * them.
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

	/**
	 * {@link #turns} of {@code messages} followed by a new prompt with these (stored)
	 * files.
	 */
	public List<ModelRequest.Turn> turnsThen(List<ChatMessage> messages, String prompt, List<Attachment> files) {
		List<ModelRequest.Turn> all = new ArrayList<>(turns(messages));
		all.add(new ModelRequest.Turn(ModelRequest.Author.USER, prompt, List.of(), files(files)));
		return all;
	}

	/**
	 * The turns a request sends, and how many of the conversation's oldest were left out
	 * to fit.
	 */
	public record Fitted(List<ModelRequest.Turn> turns, int dropped) {
	}

	/**
	 * The latest turns that fit {@code maxTokens} with the system instruction: whole
	 * exchanges are left out from the oldest on (so the request still begins with a
	 * prompt), and the last turn, the prompt being answered, always stays. Tokens are
	 * estimated without the model's tokenizer, as UTF-8 bytes / 4 (about right for
	 * English, safe for most other scripts); good enough to stay clear of the window.
	 */
	public Fitted fit(List<ModelRequest.Turn> all, @Nullable String systemInstruction, int maxTokens) {
		long total = estimate(systemInstruction);
		long[] cost = new long[all.size()];
		for (int i = 0; i < all.size(); i++) {
			cost[i] = estimate(all.get(i));
			total += cost[i];
		}
		int from = 0;
		while (total > maxTokens && from < all.size() - 1) {
			// leave out one exchange: this turn and what follows up to the next prompt
			// (never the last turn)
			do {
				total -= cost[from++];
			}
			while (from < all.size() - 1 && all.get(from).author() != ModelRequest.Author.USER);
		}
		return new Fitted(from == 0 ? all : List.copyOf(all.subList(from, all.size())), from);
	}

	static long estimate(@Nullable String text) {
		if (text == null || text.isEmpty()) {
			return 0;
		}
		long bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
		}
		return (bytes + 3) / 4;
	}

	private static long estimate(ModelRequest.Turn turn) {
		long tokens = estimate(turn.text()) + 4;
		for (ModelRequest.ToolUse use : turn.toolUses()) {
			tokens += estimate(use.name()) + estimate(String.valueOf(use.args()))
					+ estimate(String.valueOf(use.response()));
		}
		return tokens;
	}

	/**
	 * What the model is sent to go on with a reply cut short (its node went away): the
	 * conversation before it, the partial answer as the model's own turn (its tool calls
	 * included), and {@code request}, asking it to continue. With nothing stored of the
	 * answer, the conversation alone: it is answered afresh.
	 */
	public List<ModelRequest.Turn> continuation(List<ChatMessage> before, ChatMessage partial, String request) {
		List<ModelRequest.Turn> all = new ArrayList<>(turns(before));
		if (partial.text().isEmpty() && partial.parts().isEmpty()) {
			return all;
		}
		all.add(new ModelRequest.Turn(ModelRequest.Author.MODEL, partial.text(),
				partial.parts().stream().map(this::toolUse).toList()));
		all.add(new ModelRequest.Turn(ModelRequest.Author.USER, request));
		return all;
	}

	private List<ModelRequest.Attachment> files(List<Attachment> stored) {
		return stored.stream().<ModelRequest.Attachment>map(file -> new StoredAttachment(file, attachments)).toList();
	}

	/**
	 * A stored tool call as the model was told of it: what it asked for, and the result
	 * or the error.
	 */
	private ModelRequest.ToolUse toolUse(ToolPart part) {
		Map<String, Object> response = part.status() == ToolPart.ToolStatus.DONE
				? json.read(Objects.requireNonNull(part.resultJson(), "a done call has its result"))
				: Map.of("error", part.error() == null ? "the tool did not finish" : part.error());
		return new ModelRequest.ToolUse(part.anchor(), part.name(), json.read(part.argsJson()), response);
	}

}
