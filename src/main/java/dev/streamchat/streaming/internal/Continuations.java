package dev.streamchat.streaming.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.streamchat.budget.MeteredModel;
import dev.streamchat.budget.UsageKind;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.OrphanedReplies;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.security.UserId;
import dev.streamchat.tools.ToolBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes up, on this node, the replies that another node left streaming when it died or
 * shut down before they were finished: claims each in storage (exactly one node wins it),
 * asks the model to go on from the stored text, and generates the rest into the same
 * message. A reply taken up {@link #MAX_SEAMS} times already ends as interrupted instead,
 * so that an answer that brings every node down in turn cannot go round for ever.
 */
@Component
public class Continuations {

	private static final Logger log = LoggerFactory.getLogger(Continuations.class);

	/** What the model is asked after the partial answer, as the user's turn. */
	public static final String REQUEST = "[Your previous answer was cut off by a server restart. Continue it exactly "
			+ "where it stops, mid-sentence if need be, without repeating anything already written and without any "
			+ "preamble.]";
	static final int MAX_SEAMS = 3;
	static final String TOO_OFTEN = "The servers restarted too often while this answer was being generated.";
	static final String UNFINISHED_TOOL = "not finished: the server restarted (the model was told, and may call it again)";

	private final ReplyWriter replies;

	private final OrphanedReplies orphaned;

	private final ConversationStore conversations;

	private final Messages messages;

	/**
	 * Continuing a reply is an upstream request like any other: it counts against its
	 * owner's budget.
	 */
	private final MeteredModel model;

	private final ToolBox tools;

	private final Generations generations;

	private final GenerationRunner runner;

	private final ConversationTurns turns;

	Continuations(ReplyWriter replies, OrphanedReplies orphaned, ConversationStore conversations, Messages messages,
			MeteredModel model, ToolBox tools, Generations generations, GenerationRunner runner,
			ConversationTurns turns) {
		this.replies = replies;
		this.orphaned = orphaned;
		this.conversations = conversations;
		this.messages = messages;
		this.model = model;
		this.tools = tools;
		this.generations = generations;
		this.runner = runner;
		this.turns = turns;
	}

	/**
	 * Takes up each orphan this node wins the claim of; those that cannot be continued
	 * end as interrupted.
	 * @return the replies ended here, for the caller to announce
	 */
	public List<ChatMessage> takeOver(String self, List<OrphanedReplies.Orphan> orphans) {
		List<OrphanedReplies.Orphan> tooOften = orphans.stream().filter(o -> o.seams() >= MAX_SEAMS).toList();
		List<ChatMessage> ended = new ArrayList<>(orphaned.interrupt(tooOften, TOO_OFTEN));
		for (OrphanedReplies.Orphan orphan : orphans) {
			if (orphan.seams() < MAX_SEAMS) {
				orphaned.claim(orphan, self).ifPresent(claimed -> {
					if (!start(self, orphan.owner(), claimed)) {
						ended.addAll(orphaned.interrupt(List.of(orphan), NodeLease.DEAD_NODE));
					}
				});
			}
		}
		return ended;
	}

	/** Starts generating the rest of a claimed reply; false if it cannot be continued. */
	private boolean start(String self, UserId owner, ChatMessage reply) {
		Optional<Conversation> conversation = conversations.openConversation(owner, reply.conversationId());
		List<ChatMessage> path = conversation.isPresent() ? messages.currentPath(owner, reply.conversationId())
				: List.of();
		int at = indexOf(path, reply);
		if (at < 0 || !generations.reserve(reply.conversationId())) {
			log.info("Reply {} cannot be continued here (its conversation changed); it ends interrupted", reply.id());
			return false;
		}
		try {
			// a tool that was running on the lost node never finishes: the model is told,
			// and may call it again
			List<ToolPart> parts = reply.parts()
				.stream()
				.map(p -> p.status().isFinal() ? p : p.failed(UNFINISHED_TOOL))
				.toList();
			parts.stream().filter(p -> !reply.parts().contains(p)).forEach(p -> replies.savePart(reply.id(), p));
			ChatMessage partial = reply.withLive(reply.text(), reply.thinking(), parts, reply.seams(),
					reply.grounding());
			ModelRequest request = new ModelRequest(Objects.requireNonNull(reply.model(), "a reply names its model"),
					turns.continuation(path.subList(0, at), partial, REQUEST), conversation.get().systemInstruction(),
					conversation.get().temperature(), tools.specs());
			log.info("Continuing reply {} from {} characters (seam {})", reply.id(), reply.text().length(),
					reply.seams().size());
			runner.run(owner, reply.conversationId(), reply.id(), request, model.forUser(owner, UsageKind.REPLY), self,
					new Generation.Start(reply.text(), reply.thinking(), parts, reply.seams(), reply.usage(),
							reply.firstToken()));
			return true;
		}
		catch (RuntimeException e) {
			generations.release(reply.conversationId());
			log.warn("Could not continue reply {}; it ends interrupted", reply.id(), e);
			return false;
		}
	}

	private static int indexOf(List<ChatMessage> path, ChatMessage reply) {
		for (int i = 0; i < path.size(); i++) {
			if (path.get(i).id().equals(reply.id())) {
				return i;
			}
		}
		return -1;
	}

}
