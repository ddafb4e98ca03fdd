package dev.streamchat.streaming.internal;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.budget.BudgetExceededException;
import dev.streamchat.budget.MeteredModel;
import dev.streamchat.budget.UsageKind;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.chat.ReplyStreamingException;
import dev.streamchat.chat.Role;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.PromptRejectedException;
import dev.streamchat.streaming.StreamingProperties;
import dev.streamchat.tools.ToolBox;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Starts one reply: reserves its conversation on this node, then, in one transaction,
 * admits it by the user's budgets, sends the model its first request
 * ({@link EarlyRequest}) and stores what the opening adds with the empty streaming reply;
 * after the commit it tells the views and has the generation run. If any step fails,
 * nothing of it is kept: the transaction rolls back, the request is cancelled and the
 * conversation freed, and the user reads why.
 * <p>
 * The request goes out before the writes, not after them: the model takes far longer to
 * its first token than the database to its inserts, so the two overlap and the user waits
 * for the model alone. It still goes out after the admission (the budgets hold under the
 * user's row lock, counted in the database, for every node together) and after the
 * conversation's reservation; the database's one-streaming-reply-per-conversation index
 * is checked by the reply's insert, and a refusal there cancels the request. A prompt
 * with new files is the exception: they are read from storage when the request opens, so
 * that request goes after the commit.
 */
@Component
public class ReplyStarts {

	private static final Logger log = LoggerFactory.getLogger(ReplyStarts.class);

	public static final String STILL_STREAMING = "An answer is still streaming in this chat; stop it or wait.";

	public static final String NOT_SAVED = "Your message could not be saved (the database did not answer), so it was "
			+ "not sent; it is kept here. Try again in a moment.";

	/** Runs the generation of a reply once it is stored. */
	@FunctionalInterface
	interface Launch {

		void launch(UserId owner, ConversationId conversation, MessageId reply, ModelRequest request, ChatModel model,
				String node);

	}

	private final OpeningStore store;

	private final ConversationTurns turns;

	private final Generations generations;

	private final Function<UserId, ChatModel> models;

	/**
	 * The model for a request that goes out right after its admission, which checked the
	 * user's tokens already.
	 */
	private final Function<UserId, ChatModel> admittedModels;

	private final ToolBox tools;

	private final Launch launch;

	private final Consumer<MessageEvent> publish;

	private final NodeRole node;

	private final int maxContextTokens;

	@Autowired
	ReplyStarts(OpeningStore store, ConversationTurns turns, Generations generations, MeteredModel model, ToolBox tools,
			GenerationRunner runner, MessageBroadcaster broadcaster, NodeRole node, StreamingProperties properties) {
		this(store, turns, generations, user -> model.forUser(user, UsageKind.REPLY), model::forAdmittedReply, tools,
				runner::fresh, broadcaster::publish, node, properties.maxContextTokens());
	}

	ReplyStarts(OpeningStore store, ConversationTurns turns, Generations generations,
			Function<UserId, ChatModel> models, ToolBox tools, Launch launch, Consumer<MessageEvent> publish,
			NodeRole node, int maxContextTokens) {
		this(store, turns, generations, models, models, tools, launch, publish, node, maxContextTokens);
	}

	private ReplyStarts(OpeningStore store, ConversationTurns turns, Generations generations,
			Function<UserId, ChatModel> models, Function<UserId, ChatModel> admittedModels, ToolBox tools,
			Launch launch, Consumer<MessageEvent> publish, NodeRole node, int maxContextTokens) {
		this.store = store;
		this.turns = turns;
		this.generations = generations;
		this.models = models;
		this.admittedModels = admittedModels;
		this.tools = tools;
		this.launch = launch;
		this.publish = publish;
		this.node = node;
		this.maxContextTokens = maxContextTokens;
	}

	/**
	 * The new reply, stored empty and streaming, the request sent for it, and what to
	 * tell the views.
	 */
	private record Opened(ChatMessage reply, ModelRequest request, List<MessageEvent> events) {
	}

	/**
	 * Starts a reply in the user's conversation.
	 * @param model the model to ask, resolved from the conversation's
	 * @return the reply, still empty
	 * @throws PromptRejectedException when the conversation streams already (here or on
	 * another node), a budget refuses it, the opening does not fit the conversation or
	 * storing it failed; nothing is kept then
	 */
	public ChatMessage start(UserId user, Conversation conversation, String model, Opening opening) {
		ConversationId conversationId = conversation.id();
		// one reply per conversation at a time: reserve it before storing anything
		if (!generations.reserve(conversationId)) {
			throw new PromptRejectedException(STILL_STREAMING);
		}
		Sent sent = new Sent();
		try {
			Opened opened = store.inTransaction(() -> {
				Runnable countPrompt = store.admit(user);
				List<ChatMessage> history = store.conversation(user, conversationId);
				if (node.streamingElsewhere(history)) {
					throw new PromptRejectedException(STILL_STREAMING);
				}
				Opened result = open(user, conversation, model, history, opening, sent);
				countPrompt.run();
				return result;
			});
			opened.events().forEach(publish);
			ChatModel asked = sent.request != null ? sent.request : models.apply(user);
			launch.launch(user, conversationId, opened.reply().id(), opened.request(), asked, node.nodeId());
			return opened.reply();
		}
		catch (BudgetExceededException refused) {
			undo(conversationId, sent);
			throw new PromptRejectedException(String.valueOf(refused.getMessage()));
		}
		catch (ReplyStreamingException busy) {
			// another node started a reply of this conversation between our look and our
			// insert
			undo(conversationId, sent);
			throw new PromptRejectedException(STILL_STREAMING);
		}
		catch (DataAccessException | TransactionException notStored) {
			undo(conversationId, sent);
			log.warn("A reply in conversation {} could not be stored; its request was cancelled: {}", conversationId,
					notStored.toString());
			throw new PromptRejectedException(NOT_SAVED);
		}
		catch (RuntimeException e) {
			undo(conversationId, sent);
			throw e;
		}
	}

	/** The request sent for the reply being opened, once it is (not before new files). */
	private static final class Sent {

		private @Nullable EarlyRequest request;

	}

	private void undo(ConversationId conversation, Sent sent) {
		if (sent.request != null) {
			sent.request.abandon();
		}
		generations.release(conversation);
	}

	/**
	 * Sends the request and stores what the opening adds to the conversation; the turns
	 * sent are cut to the context limit, and the reply records how many of the oldest
	 * were left out.
	 */
	private Opened open(UserId user, Conversation conversation, String model, List<ChatMessage> history,
			Opening opening, Sent sent) {
		ConversationId conversationId = conversation.id();
		return switch (opening) {
			case Opening.NewPrompt(String text, List<NewAttachment> files) -> {
				// a prompt's files are read from storage when its request opens, so a
				// prompt with new files is stored, and its request sent, as before: after
				// the commit, by the generation
				ChatMessage withFiles = files.isEmpty() ? null : store.addPrompt(user, conversationId, text, files);
				ConversationTurns.Fitted fitted = fit(
						turns.turnsThen(history, text, withFiles == null ? List.of() : withFiles.attachments()),
						conversation);
				ModelRequest request = withFiles == null ? send(user, conversation, model, fitted, sent)
						: request(conversation, model, fitted);
				ChatMessage prompt = withFiles != null ? withFiles
						: store.addPrompt(user, conversationId, text, List.of());
				ChatMessage reply = store.startReply(conversationId, model, node.nodeId(), fitted.dropped());
				yield new Opened(reply, request,
						List.of(new MessageEvent.Added(prompt), new MessageEvent.Added(reply)));
			}
			case Opening.EditedPrompt(MessageId promptId, String text) -> {
				int at = indexIn(history, promptId);
				// the edited version keeps the files of the prompt it replaces
				ConversationTurns.Fitted fitted = fit(
						turns.turnsThen(history.subList(0, at), text, history.get(at).attachments()), conversation);
				ModelRequest request = send(user, conversation, model, fitted, sent);
				store.addPromptVersion(history.get(at), text);
				ChatMessage reply = store.startReply(conversationId, model, node.nodeId(), fitted.dropped());
				yield new Opened(reply, request, List.of(new MessageEvent.PathChanged(conversationId, reply.id())));
			}
			case Opening.AnswerAgain(MessageId answer, boolean latestOnly) -> {
				if (latestOnly && (history.isEmpty() || !history.getLast().id().equals(answer))) {
					throw new PromptRejectedException("Only the latest answer can be retried.");
				}
				int at = indexIn(history, answer);
				if (at == 0 || history.get(at - 1).role() != Role.USER) {
					throw new PromptRejectedException("This answer has no prompt to answer again.");
				}
				ConversationTurns.Fitted fitted = fit(turns.turns(history.subList(0, at)), conversation);
				ModelRequest request = send(user, conversation, model, fitted, sent);
				ChatMessage reply = store.startAnswerVersion(history.get(at - 1), model, node.nodeId(),
						fitted.dropped());
				yield new Opened(reply, request, List.of(new MessageEvent.PathChanged(conversationId, reply.id())));
			}
		};
	}

	private ModelRequest send(UserId user, Conversation conversation, String model, ConversationTurns.Fitted fitted,
			Sent sent) {
		ModelRequest request = request(conversation, model, fitted);
		sent.request = EarlyRequest.send(admittedModels.apply(user), request);
		return request;
	}

	private ModelRequest request(Conversation conversation, String model, ConversationTurns.Fitted fitted) {
		return new ModelRequest(model, fitted.turns(), conversation.systemInstruction(), conversation.temperature(),
				tools.specs(), conversation.webSearch());
	}

	private ConversationTurns.Fitted fit(List<ModelRequest.Turn> all, Conversation conversation) {
		return turns.fit(all, conversation.systemInstruction(), maxContextTokens);
	}

	private static int indexIn(List<ChatMessage> history, MessageId id) {
		for (int i = 0; i < history.size(); i++) {
			if (history.get(i).id().equals(id)) {
				return i;
			}
		}
		throw new PromptRejectedException("This message is no longer part of the conversation.");
	}

}
