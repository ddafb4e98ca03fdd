package dev.streamchat.history;

import java.util.List;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.Messages;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.StreamingService;
import org.springframework.stereotype.Service;

/**
 * Reshaping a conversation without asking the model: switching a prompt or an answer to
 * another of its versions, and deleting an exchange. Every view of the pane follows (a
 * {@code PathChanged} or {@code Removed} event). Refused while an answer streams in the
 * conversation, on any node.
 */
@Service
public class ConversationEdits {

	private static final String WAIT = "Wait for the answer to finish, or stop it, first.";

	private final Messages messages;

	private final StreamingService streaming;

	private final MessageBroadcaster broadcaster;

	ConversationEdits(Messages messages, StreamingService streaming, MessageBroadcaster broadcaster) {
		this.messages = messages;
		this.streaming = streaming;
		this.broadcaster = broadcaster;
	}

	/**
	 * Switches a prompt or an answer of the owner's to another of its versions; every
	 * view of the pane follows.
	 * @throws ConversationBusyException while an answer streams in the conversation
	 */
	public void chooseVersion(UserId owner, MessageId version) {
		ChatMessage chosen = messages.message(owner, version).orElse(null);
		if (chosen == null) {
			return;
		}
		refuseWhileStreaming(owner, chosen.conversationId());
		if (messages.chooseVersion(owner, version)) {
			broadcaster.publish(new MessageEvent.PathChanged(chosen.conversationId(), version));
		}
	}

	/**
	 * Deletes a prompt and its answers (the exchange {@code message} belongs to) and
	 * tells every view of the pane; another user's message is left alone, as one that
	 * does not exist.
	 * @throws ConversationBusyException while an answer streams in the conversation
	 */
	public void deleteExchange(UserId owner, MessageId message) {
		ChatMessage target = messages.message(owner, message).orElse(null);
		if (target == null) {
			return;
		}
		refuseWhileStreaming(owner, target.conversationId());
		List<MessageId> deleted;
		try {
			deleted = messages.deleteExchange(owner, message);
		}
		catch (IllegalStateException streamingMeanwhile) {
			throw new ConversationBusyException(WAIT);
		}
		deleted.forEach(id -> broadcaster.publish(new MessageEvent.Removed(target.conversationId(), id)));
	}

	private void refuseWhileStreaming(UserId owner, ConversationId conversation) {
		// this node's generations, and (with several nodes) a reply stored as streaming
		// elsewhere
		if (streaming.isStreaming(owner, conversation) || messages.hasStreamingReply(owner, conversation)) {
			throw new ConversationBusyException(WAIT);
		}
	}

}
