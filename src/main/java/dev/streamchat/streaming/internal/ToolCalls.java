package dev.streamchat.streaming.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import dev.streamchat.tools.ToolBox;
import dev.streamchat.tools.ToolContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool calls of one reply: each starts the moment its chunk arrives, on its own
 * thread (parallel calls run in parallel), is shown at once as a running card and stored,
 * and publishes its result as soon as it has it. The reply's parts are shared with its
 * {@link Generation} under the generation's lock, so a late viewer's copy of the reply
 * sees text and cards that agree.
 */
final class ToolCalls {

	private static final Logger log = LoggerFactory.getLogger(ToolCalls.class);

	private final MessageId messageId;

	private final ConversationId conversationId;

	/** Whose reply this is: tools run for that user and conversation. */
	private final ToolContext owner;

	private final ToolBox tools;

	private final ToolJson json;

	private final ReplyWriter replies;

	private final MessageBroadcaster broadcaster;

	/** The generation's lock, which guards {@code parts} and {@code running}. */
	private final Object lock;

	private final List<ToolPart> parts;

	private final List<ToolBox.Running> running = new ArrayList<>();

	ToolCalls(MessageId messageId, ToolContext owner, ToolBox tools, ToolJson json, ReplyWriter replies,
			MessageBroadcaster broadcaster, Object lock, List<ToolPart> parts) {
		this.messageId = messageId;
		this.conversationId = owner.pane();
		this.owner = owner;
		this.tools = tools;
		this.json = json;
		this.replies = replies;
		this.broadcaster = broadcaster;
		this.lock = lock;
		this.parts = parts;
	}

	/**
	 * Shows the call at once and starts it (or, past the round limit, refuses it); the
	 * future completes with the result after it has been published.
	 * @param anchor where in the answer the call stands (its length so far)
	 */
	CompletableFuture<ToolResult> start(ToolCall call, int anchor, boolean allowed) {
		ToolPart part;
		synchronized (lock) {
			part = new ToolPart(parts.size(), anchor, call.name(), json.write(call.args()), ToolPart.ToolStatus.RUNNING,
					null, null);
			parts.add(part);
		}
		broadcaster.publish(new MessageEvent.ToolUpdate(conversationId, messageId, part));
		if (!allowed) {
			ToolResult refused = ToolResult.failed(call,
					"not run: the limit of " + tools.maxRounds() + " tool rounds per answer was reached");
			complete(part, refused);
			return CompletableFuture.completedFuture(refused);
		}
		ToolBox.Running started = tools.start(call, owner);
		synchronized (lock) {
			running.add(started);
		}
		try {
			replies.savePart(messageId, part);
		}
		catch (RuntimeException e) {
			log.warn("Storing tool call {} of reply {} failed; it is stored when the reply ends: {}", part.seq(),
					messageId, e.toString());
		}
		// each call publishes its own result the moment it has one, whatever the others
		// do
		return CompletableFuture.supplyAsync(() -> {
			ToolResult result = started.await();
			complete(part, result);
			return result;
		}, command -> Thread.ofVirtual().name("tool-wait-" + messageId).start(command));
	}

	private void complete(ToolPart started, ToolResult result) {
		String error = result.error();
		// a call that did not fail answers the model with its result
		ToolPart ended = error != null ? started.failed(error) : started.done(json.write(result.response()));
		synchronized (lock) {
			if (parts.get(ended.seq()).status().isFinal()) {
				return; // the reply ended (stopped) before this call did
			}
			parts.set(ended.seq(), ended);
		}
		broadcaster.publish(new MessageEvent.ToolUpdate(conversationId, messageId, ended));
	}

	/**
	 * Stores the round's ended calls on the generation's thread, so no two writes of a
	 * part race.
	 */
	void storeRound() {
		List<ToolPart> ended;
		synchronized (lock) {
			ended = List.copyOf(parts);
			running.clear();
		}
		try {
			ended.forEach(part -> replies.savePart(messageId, part));
		}
		catch (RuntimeException e) {
			log.warn("Storing the tool results of reply {} failed; they are stored when the reply ends: {}", messageId,
					e.toString());
		}
	}

	/** Abandons the calls still running (the reply was stopped); returns at once. */
	void cancelRunning() {
		synchronized (lock) {
			running.forEach(ToolBox.Running::cancel);
		}
	}

	/**
	 * Calls still running when the reply ends (it was stopped) end as failed with
	 * {@code why}, on screen and, with the reply's end, in storage.
	 */
	void endRunning(String why) {
		List<ToolPart> cancelled = new ArrayList<>();
		synchronized (lock) {
			running.forEach(ToolBox.Running::cancel);
			for (int i = 0; i < parts.size(); i++) {
				if (!parts.get(i).status().isFinal()) {
					parts.set(i, parts.get(i).failed(why));
					cancelled.add(parts.get(i));
				}
			}
		}
		cancelled.forEach(part -> broadcaster.publish(new MessageEvent.ToolUpdate(conversationId, messageId, part)));
	}

}
