package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.util.List;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.streaming.ReplyStorage;
import dev.streamchat.streaming.StreamingProperties;
import dev.streamchat.streaming.internal.Generation.Start;
import dev.streamchat.testing.FakeModelTestSupport;
import dev.streamchat.tools.ToolBox;
import dev.streamchat.tools.ToolContext;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * For tests of one {@link Generation} built by hand (the service's admission and opening
 * left out): a prompt and its empty reply stored in a pane of alice's, and a generation
 * of it wired to the context's storage, broadcaster and tools.
 */
abstract class GenerationTestSupport extends FakeModelTestSupport {

	@Autowired
	protected ToolJson json;

	@Autowired
	protected ToolBox tools;

	@Autowired
	protected StreamingProperties properties;

	@Autowired
	protected StreamingMetrics metrics;

	/**
	 * {@code prompt} and an empty streaming reply to it, stored in a new pane of alice's
	 * as {@code node}'s reply (null: no node recorded).
	 */
	protected ChatMessage storedReply(String prompt, @Nullable String node) {
		Conversation conversation = paneStore.create(alice, "gemini-2.5-flash");
		messageStore.addUserMessage(conversation.owner(), conversation.id(), prompt);
		return node == null ? replyWriter.startReply(conversation.id(), "gemini-2.5-flash")
				: replyWriter.startReply(conversation.id(), "gemini-2.5-flash", node);
	}

	/**
	 * A generation of {@code reply}, answering {@code prompt} from {@code chatModel} and
	 * storing through {@code storage}, fenced on {@code node} (null: no guard).
	 */
	protected Generation generation(ChatMessage reply, String prompt, ChatModel chatModel, ReplyStorage storage,
			@Nullable String node) {
		return generation(reply, prompt, chatModel, storage, properties, node);
	}

	/**
	 * As {@link #generation(ChatMessage, String, ChatModel, ReplyStorage, String)}, with
	 * these settings.
	 */
	protected Generation generation(ChatMessage reply, String prompt, ChatModel chatModel, ReplyStorage storage,
			StreamingProperties settings, @Nullable String node) {
		return new Generation(reply.id(), new ToolContext(alice, reply.conversationId()),
				new ModelRequest("gemini-2.5-flash", List.of(new ModelRequest.Turn(ModelRequest.Author.USER, prompt))),
				chatModel, replyWriter, messageStore, storage, broadcaster, tools, json, settings, metrics,
				Clock.systemUTC(), node, Start.FRESH);
	}

}
