package dev.streamchat.streaming;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.chat.Role;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.internal.Drain;
import dev.streamchat.streaming.internal.Generation;
import dev.streamchat.streaming.internal.Generations;
import dev.streamchat.streaming.internal.NodeRole;
import dev.streamchat.streaming.internal.Opening;
import dev.streamchat.streaming.internal.ReplyStarts;
import org.springframework.stereotype.Service;

/**
 * The commands that make the model answer: send, edit, retry, regenerate and stop, each
 * checked against its owner, admitted by the user's limits, and started as a
 * {@link Generation} on a thread of its own ({@link Generations} keeps them). What
 * differs with several nodes is the {@link NodeRole}'s business; the node's start and
 * shutdown drain are {@link Drain}'s.
 */
@Service
public class StreamingService {

	/** A prompt sent to a draining node: refused, and kept in the prompt. */
	public static final String RESTARTING = "This server is restarting, so your message was not sent; it is kept "
			+ "here. Send it again in a moment, once the page has reconnected to another server.";

	private final ConversationStore conversations;

	private final Messages messages;

	private final ModelCatalog catalog;

	private final MessageBroadcaster broadcaster;

	private final StreamingProperties properties;

	private final Generations generations;

	private final ReplyStarts starts;

	private final NodeRole node;

	private final Drain drain;

	StreamingService(ConversationStore conversations, Messages messages, ModelCatalog catalog,
			MessageBroadcaster broadcaster, StreamingProperties properties, Generations generations, ReplyStarts starts,
			NodeRole node, Drain drain) {
		this.conversations = conversations;
		this.messages = messages;
		this.catalog = catalog;
		this.broadcaster = broadcaster;
		this.properties = properties;
		this.generations = generations;
		this.starts = starts;
		this.node = node;
		this.drain = drain;
		// another node's request was checked there
		broadcaster.onStopRequest(reply -> generations.stop(reply, MessageStatus.STOPPED, null));
	}

	/** This node's name in the database, recorded on the replies it generates. */
	public String nodeId() {
		return node.nodeId();
	}

	/**
	 * Stores the prompt and an empty streaming reply, and starts generating it.
	 * @return the reply, still empty
	 * @throws PromptRejectedException when the prompt is empty or too long, the
	 * conversation is unknown or still streaming; nothing is stored then
	 */
	public ChatMessage send(UserId user, ConversationId conversationId, String prompt) {
		return send(user, conversationId, prompt, List.of());
	}

	/**
	 * Stores the prompt with its files (checked by the attachments intake) and an empty
	 * streaming reply, and starts generating it. A prompt may be files alone.
	 * @return the reply, still empty
	 * @throws PromptRejectedException as {@link #send(UserId, ConversationId, String)};
	 * nothing is stored then
	 */
	public ChatMessage send(UserId user, ConversationId conversationId, String prompt, List<NewAttachment> files) {
		checkPrompt(prompt == null ? "" : prompt, !files.isEmpty());
		Conversation conversation = conversations.openConversation(user, conversationId)
			.orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
		return start(user, conversation, new Opening.NewPrompt(prompt == null ? "" : prompt, List.copyOf(files)));
	}

	/**
	 * "Send to all panes": the same prompt to each of the user's panes, each answered
	 * with its own model, system instruction, temperature and web search, side by side.
	 * Each pane's answer is admitted by the user's budgets as any prompt is (one request
	 * to the model each), and a pane that cannot take it (still streaming, a budget
	 * spent, gone) is refused on its own while the others go ahead.
	 * @return per pane, in the order given, the reply started or the refusal
	 * @throws PromptRejectedException when the prompt itself is refused (empty, too long)
	 * or no pane is given
	 */
	public List<FanOut> sendToAll(UserId user, List<ConversationId> conversationIds, String prompt) {
		checkPrompt(prompt);
		if (conversationIds.isEmpty()) {
			throw new PromptRejectedException("There is no pane to send to.");
		}
		List<FanOut> results = new ArrayList<>();
		for (ConversationId conversationId : conversationIds) {
			try {
				Conversation conversation = conversations.openConversation(user, conversationId)
					.orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
				results.add(new FanOut(conversationId,
						start(user, conversation, new Opening.NewPrompt(prompt, List.of())), null));
			}
			catch (PromptRejectedException refused) {
				results.add(new FanOut(conversationId, null, String.valueOf(refused.getMessage())));
			}
		}
		return results;
	}

	private void checkPrompt(String prompt) {
		checkPrompt(prompt, false);
	}

	private void checkPrompt(String prompt, boolean hasFiles) {
		String text = prompt == null ? "" : prompt.strip();
		if (text.isEmpty() && !hasFiles) {
			throw new PromptRejectedException("Type a message first.");
		}
		if (prompt.length() > properties.maxPromptChars()) {
			throw new PromptRejectedException("The message is too long: %,d characters, at most %,d are allowed."
				.formatted(prompt.length(), properties.maxPromptChars()));
		}
		if (!drain.takesPrompts()) {
			throw new PromptRejectedException(RESTARTING);
		}
	}

	/**
	 * Sends an edited version of an earlier prompt and streams its answer. The earlier
	 * prompt, its answer and everything after them stay as the version the user can
	 * switch back to ("1 / 2").
	 * @throws PromptRejectedException as {@link #send}, and when the prompt is not part
	 * of the conversation
	 */
	public ChatMessage edit(UserId user, MessageId promptId, String text) {
		checkPrompt(text);
		ChatMessage prompt = messages.message(user, promptId)
			.orElseThrow(() -> new PromptRejectedException("This message no longer exists."));
		if (prompt.role() != Role.USER) {
			throw new PromptRejectedException("Only your own messages can be edited.");
		}
		Conversation conversation = conversations.openConversation(user, prompt.conversationId())
			.orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
		return start(user, conversation, new Opening.EditedPrompt(promptId, text));
	}

	/**
	 * Answers the prompt of a failed, interrupted or stopped reply again, as a new
	 * version of the answer: the earlier attempt stays reachable ("1 / 2"), and is not
	 * sent to the model.
	 * @throws PromptRejectedException when the reply is not the latest message of its
	 * conversation or still streaming
	 */
	public ChatMessage retry(UserId user, MessageId replyId) {
		Conversation conversation = answerOf(user, replyId, m -> m.status().isRetryable(),
				"Only a failed, interrupted or stopped answer can be retried.");
		return start(user, conversation, new Opening.AnswerAgain(replyId, true));
	}

	/**
	 * Answers the prompt of an answer of the conversation again. The earlier answer, and
	 * whatever followed it, stay as a version ("1 / 2") the user can switch back to; the
	 * model is sent the conversation up to the prompt.
	 * @throws PromptRejectedException unless the reply has ended and is part of the
	 * conversation
	 */
	public ChatMessage regenerate(UserId user, MessageId replyId) {
		Conversation conversation = answerOf(user, replyId, m -> !m.isStreaming(),
				"Only an answer that has ended can be regenerated.");
		return start(user, conversation, new Opening.AnswerAgain(replyId, false));
	}

	/** The conversation of an answer of the user's that {@code allowed} accepts. */
	private Conversation answerOf(UserId user, MessageId replyId, Predicate<ChatMessage> allowed, String notAllowed) {
		ChatMessage reply = messages.message(user, replyId)
			.orElseThrow(() -> new PromptRejectedException("This answer no longer exists."));
		if (reply.role() != Role.ASSISTANT || !allowed.test(reply)) {
			throw new PromptRejectedException(notAllowed);
		}
		Conversation conversation = conversations.openConversation(user, reply.conversationId())
			.orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
		return conversation;
	}

	/**
	 * Starts a reply, unless this node is draining: a draining node starts nothing new
	 * (retry, regenerate and edit included).
	 */
	private ChatMessage start(UserId user, Conversation conversation, Opening opening) {
		if (!drain.takesPrompts()) {
			throw new PromptRejectedException(RESTARTING);
		}
		return starts.start(user, conversation, catalog.resolve(conversation.model()), opening);
	}

	/**
	 * Stops a streaming reply of the user's, the text so far kept: at once when this node
	 * generates it, otherwise by asking the node that does.
	 * @return false when the reply is not the user's or not streaming (anywhere)
	 */
	public boolean stop(UserId user, MessageId reply) {
		Optional<ChatMessage> owned = messages.message(user, reply);
		if (owned.isEmpty()) {
			return false;
		}
		return generations.stop(reply, MessageStatus.STOPPED, null) || node.stopElsewhere(owned.get());
	}

	/**
	 * Whether a reply of the owner's conversation is generating on this node (or about
	 * to: its conversation is reserved); false for anyone else's conversation.
	 */
	public boolean isStreaming(UserId owner, ConversationId conversation) {
		// the owner is read only for a busy conversation, which is rare
		return generations.isBusy(conversation) && conversations.openConversation(owner, conversation).isPresent();
	}

	/**
	 * The text generated so far of a streaming reply of {@code owner}'s, copied once:
	 * this node's own, or another node's as far as this node has received it (whose owner
	 * is then read from storage). Empty when neither is known (use storage), and for
	 * anyone else's reply.
	 */
	public Optional<String> liveText(UserId owner, MessageId reply) {
		Optional<Generation> here = generations.get(reply);
		if (here.isPresent()) {
			return here.filter(generation -> generation.owner().equals(owner)).map(Generation::text);
		}
		return broadcaster.remoteText(reply).filter(text -> messages.message(owner, reply).isPresent());
	}

	/**
	 * Everything generated so far (answer, thinking, tool calls) of a reply of the user's
	 * streaming on this server; empty for anyone else's.
	 */
	public Optional<LiveReply> live(UserId user, MessageId reply) {
		return generations.live(user, reply);
	}

	/**
	 * Whether this node is shutting down: it takes no new prompts and lets its answers
	 * finish.
	 */
	public boolean isDraining() {
		return drain.isDraining();
	}

	/**
	 * {@code listener} runs once, on the shutdown thread, when this node starts draining
	 * (a view shows "this server is restarting"); it must only hand the news on.
	 * @return call it to unsubscribe (a view does so when it detaches)
	 */
	public MessageBroadcaster.Subscription onDraining(Runnable listener) {
		return drain.onDraining(listener);
	}

}
