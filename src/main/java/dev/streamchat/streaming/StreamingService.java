package dev.streamchat.streaming;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.chat.Pane;
import dev.streamchat.chat.PaneId;
import dev.streamchat.chat.Panes;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.Role;
import dev.streamchat.budget.BudgetExceededException;
import dev.streamchat.budget.Budgets;
import dev.streamchat.budget.MeteredModel;
import dev.streamchat.budget.UsageKind;
import dev.streamchat.chat.ReplyStreamingException;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.internal.ConversationTurns;
import dev.streamchat.streaming.internal.Generation;
import dev.streamchat.streaming.internal.Generations;
import dev.streamchat.streaming.internal.NodeRole;
import dev.streamchat.streaming.internal.StreamingMetrics;
import dev.streamchat.streaming.internal.ToolJson;
import dev.streamchat.tools.ToolBox;
import dev.streamchat.tools.ToolContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;
import java.util.ArrayList;

/**
 * The commands that make the model answer: send, edit, retry, regenerate and stop, each
 * checked against its owner, admitted by the user's limits, and started as a
 * {@link Generation} on a thread of its own ({@link Generations} keeps them). What
 * differs with several nodes is the {@link NodeRole}'s business.
 */
@Service
public class StreamingService implements SmartInitializingSingleton, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(StreamingService.class);

	private static final String STILL_STREAMING = "An answer is still streaming in this chat; stop it or wait.";

	/** A prompt sent to a draining node: refused, and kept in the prompt. */
	public static final String RESTARTING = "This server is restarting, so your message was not sent; it is kept "
			+ "here. Send it again in a moment, once the page has reconnected to another server.";

	private static final String HANDED_OVER = "The server restarted; another server continues this answer.";

	private final Panes panes;

	private final Messages messages;

	private final ReplyWriter replies;

	private final MeteredModel model;

	private final Budgets budgets;

	private final TransactionOperations transactions;

	private final ModelCatalog catalog;

	private final MessageBroadcaster broadcaster;

	private final StreamingProperties properties;

	private final ToolBox tools;

	private final ToolJson json;

	private final StreamingMetrics metrics;

	private final ReplyStorage storage;

	private final Clock clock;

	private final Generations generations;

	private final ConversationTurns turns;

	private final NodeRole node;

	private final ApplicationEventPublisher events;

	private volatile boolean running;

	private volatile boolean draining;

	private final List<Runnable> drainListeners = new CopyOnWriteArrayList<>();

	StreamingService(Panes panes, Messages messages, ReplyWriter replies, MeteredModel model, Budgets budgets,
			TransactionOperations transactions, ModelCatalog catalog, MessageBroadcaster broadcaster,
			StreamingProperties properties, StreamingMetrics metrics, ReplyStorage storage, ToolBox tools,
			ToolJson json, Generations generations, ConversationTurns turns, NodeRole node,
			ApplicationEventPublisher events) {
		this.panes = panes;
		this.messages = messages;
		this.replies = replies;
		this.model = model;
		this.budgets = budgets;
		this.transactions = transactions;
		this.catalog = catalog;
		this.broadcaster = broadcaster;
		this.properties = properties;
		this.metrics = metrics;
		this.storage = storage;
		this.tools = tools;
		this.json = json;
		this.generations = generations;
		this.turns = turns;
		this.node = node;
		this.events = events;
		this.clock = Clock.systemUTC();
		// another node's request was checked there
		broadcaster.onStopRequest(reply -> generations.stop(reply, MessageStatus.STOPPED, null));
	}

	/** Replies left streaming by a previous run are over: say so before anyone looks. */
	@Override
	public void afterSingletonsInstantiated() {
		node.join();
	}

	/** This node's name in the database, recorded on the replies it generates. */
	public String nodeId() {
		return node.nodeId();
	}

	/**
	 * Stores the prompt and an empty streaming reply, and starts generating it.
	 * @return the reply, still empty
	 * @throws PromptRejectedException when the prompt is empty or too long, the pane is
	 * unknown or still streaming; nothing is stored then
	 */
	public ChatMessage send(UserId user, PaneId paneId, String prompt) {
		return send(user, paneId, prompt, List.of());
	}

	/**
	 * Stores the prompt with its files (checked by the attachments intake) and an empty
	 * streaming reply, and starts generating it. A prompt may be files alone.
	 * @return the reply, still empty
	 * @throws PromptRejectedException as {@link #send(UserId, PaneId, String)}; nothing
	 * is stored then
	 */
	public ChatMessage send(UserId user, PaneId paneId, String prompt, List<NewAttachment> files) {
		checkPrompt(prompt == null ? "" : prompt, !files.isEmpty());
		Pane pane = panes.pane(user, paneId)
			.orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
		return start(user, pane, new Opening.NewPrompt(prompt == null ? "" : prompt, List.copyOf(files)));
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
	public List<FanOut> sendToAll(UserId user, List<PaneId> paneIds, String prompt) {
		checkPrompt(prompt);
		if (paneIds.isEmpty()) {
			throw new PromptRejectedException("There is no pane to send to.");
		}
		List<FanOut> results = new ArrayList<>();
		for (PaneId paneId : paneIds) {
			try {
				Pane pane = panes.pane(user, paneId)
					.orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
				results.add(new FanOut(paneId, start(user, pane, new Opening.NewPrompt(prompt, List.of())), null));
			}
			catch (PromptRejectedException refused) {
				results.add(new FanOut(paneId, null, String.valueOf(refused.getMessage())));
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
		if (!running) {
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
		Pane pane = panes.pane(user, prompt.paneId())
			.orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
		return start(user, pane, new Opening.EditedPrompt(promptId, text));
	}

	/**
	 * Answers the prompt of a failed, interrupted or stopped reply again, as a new
	 * version of the answer: the earlier attempt stays reachable ("1 / 2"), and is not
	 * sent to the model.
	 * @throws PromptRejectedException when the reply is not the latest message of its
	 * pane or still streaming
	 */
	public ChatMessage retry(UserId user, MessageId replyId) {
		Pane pane = answerOf(user, replyId, m -> m.status().isRetryable(),
				"Only a failed, interrupted or stopped answer can be retried.");
		return start(user, pane, new Opening.AnswerAgain(replyId, true));
	}

	/**
	 * Answers the prompt of an answer of the conversation again. The earlier answer, and
	 * whatever followed it, stay as a version ("1 / 2") the user can switch back to; the
	 * model is sent the conversation up to the prompt.
	 * @throws PromptRejectedException unless the reply has ended and is part of the
	 * conversation
	 */
	public ChatMessage regenerate(UserId user, MessageId replyId) {
		Pane pane = answerOf(user, replyId, m -> !m.isStreaming(), "Only an answer that has ended can be regenerated.");
		return start(user, pane, new Opening.AnswerAgain(replyId, false));
	}

	/** The pane of an answer of the user's that {@code allowed} accepts. */
	private Pane answerOf(UserId user, MessageId replyId, Predicate<ChatMessage> allowed, String notAllowed) {
		ChatMessage reply = messages.message(user, replyId)
			.orElseThrow(() -> new PromptRejectedException("This answer no longer exists."));
		if (reply.role() != Role.ASSISTANT || !allowed.test(reply)) {
			throw new PromptRejectedException(notAllowed);
		}
		Pane pane = panes.pane(user, reply.paneId())
			.orElseThrow(() -> new PromptRejectedException("This chat no longer exists."));
		return pane;
	}

	/** What a new reply answers. */
	private sealed interface Opening {

		/** A new prompt, with its files, at the end of the conversation. */
		record NewPrompt(String text, List<NewAttachment> files) implements Opening {
		}

		/** A new version of an earlier prompt of the conversation. */
		record EditedPrompt(MessageId prompt, String text) implements Opening {
		}

		/**
		 * The prompt of this answer of the conversation, answered again as a new version;
		 * when {@code latestOnly}, only if the answer is the conversation's last message.
		 */
		record AnswerAgain(MessageId answer, boolean latestOnly) implements Opening {
		}

	}

	/**
	 * Starts a reply: reserves the pane on this node, then, in one transaction, admits
	 * the prompt by the user's budgets (rate, answers streaming and tokens, counted in
	 * the database under the user's row lock, so for every node together) and stores what
	 * the opening adds with the empty streaming reply (which the database allows once per
	 * pane); tells the views after the commit.
	 */
	private ChatMessage start(UserId user, Pane pane, Opening opening) {
		if (!running) {
			// retry, regenerate and edit too: a draining node starts nothing new
			throw new PromptRejectedException(RESTARTING);
		}
		PaneId paneId = pane.id();
		String modelName = catalog.resolve(pane.model());
		// one reply per pane at a time: reserve the pane before storing anything
		if (!generations.reserve(paneId)) {
			throw new PromptRejectedException(STILL_STREAMING);
		}
		try {
			Opened opened = transactions.execute(tx -> {
				budgets.admitPrompt(user);
				List<ChatMessage> conversation = messages.currentPath(user, paneId);
				if (node.streamingElsewhere(conversation)) {
					throw new PromptRejectedException(STILL_STREAMING);
				}
				return open(paneId, modelName, pane.systemInstruction(), conversation, opening);
			});
			opened.events().forEach(broadcaster::publish);
			ModelRequest request = new ModelRequest(modelName, opened.turns(), pane.systemInstruction(),
					pane.temperature(), tools.specs(), pane.webSearch());
			Generation generation = new Generation(opened.reply().id(), new ToolContext(user, paneId), request,
					model.forUser(user, UsageKind.REPLY), replies, messages, storage, broadcaster, tools, json,
					properties, metrics, clock, node.nodeId(), Generation.Start.FRESH);
			generations.add(generation);
			Thread.ofVirtual().name("generation-" + generation.messageId()).start(() -> {
				try {
					generation.run();
				}
				finally {
					generations.remove(generation);
					generation.done().complete(null);
				}
				// after the pane is free again, so a listener may look at it as it now is
				publishFinished(new ReplyFinished(user, paneId, generation.messageId()));
			});
			return opened.reply();
		}
		catch (BudgetExceededException refused) {
			generations.release(paneId);
			throw new PromptRejectedException(String.valueOf(refused.getMessage()));
		}
		catch (ReplyStreamingException busy) {
			// another node started a reply of this pane between our look and our insert
			generations.release(paneId);
			throw new PromptRejectedException(STILL_STREAMING);
		}
		catch (RuntimeException e) {
			generations.release(paneId);
			throw e;
		}
	}

	/**
	 * The new reply, stored empty and streaming, the turns the model is sent for it, and
	 * what to tell the views.
	 */
	private record Opened(ChatMessage reply, List<ModelRequest.Turn> turns, List<MessageEvent> events) {
	}

	/**
	 * Stores what the opening adds to the conversation; the turns sent are cut to the
	 * context limit, and the reply records how many of the oldest were left out.
	 */
	private Opened open(PaneId paneId, String modelName, @Nullable String systemInstruction,
			List<ChatMessage> conversation, Opening opening) {
		return switch (opening) {
			case Opening.NewPrompt(String text, List<NewAttachment> files) -> {
				ChatMessage prompt = messages.addUserMessage(paneId, text, files);
				ConversationTurns.Fitted sent = fit(turns.turnsThen(conversation, text, prompt.attachments()),
						systemInstruction);
				ChatMessage reply = replies.startReply(paneId, modelName, node.nodeId(), sent.dropped());
				yield new Opened(reply, sent.turns(),
						List.of(new MessageEvent.Added(prompt), new MessageEvent.Added(reply)));
			}
			case Opening.EditedPrompt(MessageId promptId, String text) -> {
				int at = indexIn(conversation, promptId);
				// the edited version keeps the files of the prompt it replaces
				ConversationTurns.Fitted sent = fit(
						turns.turnsThen(conversation.subList(0, at), text, conversation.get(at).attachments()),
						systemInstruction);
				messages.addPromptVersion(conversation.get(at), text);
				ChatMessage reply = replies.startReply(paneId, modelName, node.nodeId(), sent.dropped());
				yield new Opened(reply, sent.turns(), List.of(new MessageEvent.PathChanged(paneId, reply.id())));
			}
			case Opening.AnswerAgain(MessageId answer, boolean latestOnly) -> {
				if (latestOnly && (conversation.isEmpty() || !conversation.getLast().id().equals(answer))) {
					throw new PromptRejectedException("Only the latest answer can be retried.");
				}
				int at = indexIn(conversation, answer);
				if (at == 0 || conversation.get(at - 1).role() != Role.USER) {
					throw new PromptRejectedException("This answer has no prompt to answer again.");
				}
				ConversationTurns.Fitted sent = fit(turns.turns(conversation.subList(0, at)), systemInstruction);
				ChatMessage reply = replies.startAnswerVersion(conversation.get(at - 1), modelName, node.nodeId(),
						sent.dropped());
				yield new Opened(reply, sent.turns(), List.of(new MessageEvent.PathChanged(paneId, reply.id())));
			}
		};
	}

	private ConversationTurns.Fitted fit(List<ModelRequest.Turn> all, @Nullable String systemInstruction) {
		return turns.fit(all, systemInstruction, properties.maxContextTokens());
	}

	private static int indexIn(List<ChatMessage> conversation, MessageId id) {
		for (int i = 0; i < conversation.size(); i++) {
			if (conversation.get(i).id().equals(id)) {
				return i;
			}
		}
		throw new PromptRejectedException("This message is no longer part of the conversation.");
	}

	private void publishFinished(ReplyFinished finished) {
		try {
			events.publishEvent(finished);
		}
		catch (RuntimeException e) {
			log.warn("A listener of reply {} failed", finished.messageId(), e);
		}
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

	/** Whether a reply of the pane is generating on this node. */
	public boolean isStreaming(PaneId pane) {
		return generations.isBusy(pane);
	}

	/**
	 * The text generated so far of a streaming reply, copied once: this node's own, or
	 * another node's as far as this node has received it. Empty when neither is known
	 * (use storage).
	 */
	public Optional<String> liveText(MessageId reply) {
		return generations.get(reply).map(Generation::text).or(() -> broadcaster.remoteText(reply));
	}

	/**
	 * Everything generated so far (answer, thinking, tool calls) of a reply streaming on
	 * this server.
	 */
	public Optional<LiveReply> live(MessageId reply) {
		return generations.live(reply);
	}

	/**
	 * Whether this node is shutting down: it takes no new prompts and lets its answers
	 * finish.
	 */
	public boolean isDraining() {
		return draining;
	}

	/**
	 * {@code listener} runs once, on the shutdown thread, when this node starts draining
	 * (a view shows "this server is restarting"); it must only hand the news on.
	 * @return call it to unsubscribe (a view does so when it detaches)
	 */
	public MessageBroadcaster.Subscription onDraining(Runnable listener) {
		Runnable entry = listener::run;
		drainListeners.add(entry);
		return () -> drainListeners.remove(entry);
	}

	// ---- lifecycle: drain on shutdown, then hand over (or interrupt) what is left
	// before the database goes away

	@Override
	public void start() {
		draining = false;
		running = true;
		node.start();
	}

	/**
	 * Drains the node: refuses new prompts, tells the load balancer (readiness) and the
	 * open tabs, and lets every reply generating here finish, up to
	 * {@code chat.streaming.drain-timeout}; the web server keeps serving meanwhile (it
	 * stops in a later phase), so the tabs keep streaming. Replies still running then are
	 * handed over to another node (or, with none to take them, stored as interrupted).
	 * Runs synchronously, so Spring's {@code timeout-per-shutdown-phase} does not cut it
	 * short.
	 */
	@Override
	public void stop() {
		running = false;
		draining = true;
		AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
		node.drain();
		for (Runnable listener : drainListeners) {
			try {
				listener.run();
			}
			catch (RuntimeException e) {
				log.warn("A drain listener failed", e);
			}
		}
		if (!generations.awaitAll(properties.drainTimeout())) {
			if (node.handsOver()) {
				generations.handOverAll(HANDED_OVER);
			}
			else {
				generations.interruptAll("The server shut down before this answer was finished.");
			}
		}
		node.leave();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Stop before the web server and the data source (which stop in later phases). */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1;
	}

}
