package dev.streamchat.streaming.internal;

import java.time.Clock;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.ReplyFinished;
import dev.streamchat.streaming.ReplyStorage;
import dev.streamchat.streaming.StreamingProperties;
import dev.streamchat.tools.ToolBox;
import dev.streamchat.tools.ToolContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Runs a stored reply's {@link Generation} on a virtual thread of its own, kept in
 * {@link Generations} while it runs, and announces {@link ReplyFinished} once its
 * conversation is free again: the one way a generation starts, for a new reply and for
 * one taken up from another node alike.
 */
@Component
public class GenerationRunner {

	private static final Logger log = LoggerFactory.getLogger(GenerationRunner.class);

	private final ReplyWriter replies;

	private final Messages messages;

	private final ReplyStorage storage;

	private final MessageBroadcaster broadcaster;

	private final ToolBox tools;

	private final ToolJson json;

	private final StreamingProperties properties;

	private final StreamingMetrics metrics;

	private final Generations generations;

	private final ApplicationEventPublisher events;

	private final Clock clock = Clock.systemUTC();

	GenerationRunner(ReplyWriter replies, Messages messages, ReplyStorage storage, MessageBroadcaster broadcaster,
			ToolBox tools, ToolJson json, StreamingProperties properties, StreamingMetrics metrics,
			Generations generations, ApplicationEventPublisher events) {
		this.replies = replies;
		this.messages = messages;
		this.storage = storage;
		this.broadcaster = broadcaster;
		this.tools = tools;
		this.json = json;
		this.properties = properties;
		this.metrics = metrics;
		this.generations = generations;
		this.events = events;
	}

	/**
	 * Generates a new reply (its conversation reserved by the caller), stored empty and
	 * streaming.
	 */
	public void fresh(UserId owner, ConversationId conversation, MessageId reply, ModelRequest request, ChatModel model,
			String node) {
		run(owner, conversation, reply, request, model, node, Generation.Start.FRESH);
	}

	/**
	 * Generates the rest of a reply from what was stored of it (its conversation reserved
	 * by the caller).
	 * @param node the node generating it (this one), recorded on the reply
	 */
	public void run(UserId owner, ConversationId conversation, MessageId reply, ModelRequest request, ChatModel model,
			String node, Generation.Start start) {
		Generation generation = new Generation(reply, new ToolContext(owner, conversation), request, model, replies,
				messages, storage, broadcaster, tools, json, properties, metrics, clock, node, start);
		generations.add(generation);
		Thread.ofVirtual().name("generation-" + reply).start(() -> {
			try {
				generation.run();
			}
			finally {
				generations.remove(generation);
				generation.done().complete(null);
			}
			// after the conversation is free again, so a listener may look at it as it
			// now is
			try {
				events.publishEvent(new ReplyFinished(owner, conversation, reply));
			}
			catch (RuntimeException e) {
				log.warn("A listener of reply {} failed", reply, e);
			}
		});
	}

}
