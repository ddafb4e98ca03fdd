package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.LiveReply;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores how a reply ended, in its own row, and tells every view: tried again while the
 * database is away, and, if another node ended or took the reply over meanwhile, what is
 * stored is the truth. Or, for a node that shuts down, stores the reply as it stands and
 * lets go of it for another node to take up.
 */
final class ReplyEnding {

	private static final Logger log = LoggerFactory.getLogger(ReplyEnding.class);

	private final MessageId messageId;

	private final ConversationId conversationId;

	private final UserId owner;

	/**
	 * The node generating the reply: storage refuses its end once another node has taken
	 * it over (null: no guard, as in tests that store without one).
	 */
	private final @Nullable String node;

	private final ReplyWriter replies;

	private final Messages messages;

	private final MessageBroadcaster broadcaster;

	private final Clock clock;

	private final Instant startedAt;

	ReplyEnding(MessageId messageId, ConversationId conversationId, UserId owner, @Nullable String node,
			ReplyWriter replies, Messages messages, MessageBroadcaster broadcaster, Clock clock, Instant startedAt) {
		this.messageId = messageId;
		this.conversationId = conversationId;
		this.owner = owner;
		this.node = node;
		this.replies = replies;
		this.messages = messages;
		this.broadcaster = broadcaster;
		this.clock = clock;
		this.startedAt = startedAt;
	}

	/** Whether the reply can be let go of: it is stored with the node generating it. */
	boolean canLetGo() {
		return node != null;
	}

	/**
	 * Stores the reply as it stands and lets go of it; false if it was not this node's to
	 * let go of.
	 */
	boolean letGo(LiveReply last, Outcome outcome) {
		if (node == null) {
			return false; // stored without a node: nobody would know it was let go of
		}
		try {
			if (!replies.release(messageId, node, last.parts(), outcome.usage(), outcome.firstToken())) {
				return false;
			}
		}
		catch (RuntimeException e) {
			log.warn("Could not hand reply {} over; it ends interrupted: {}", messageId, e.toString());
			return false;
		}
		broadcaster.publish(new MessageEvent.PhaseChanged(conversationId, messageId, MessageEvent.Phase.PAUSED,
				"this server is restarting; another one continues the answer…"));
		return true;
	}

	/**
	 * Stores the reply's end and publishes it.
	 * @param allStored whether every batch of its text reached storage
	 * @param groundingUnsaved whether its web sources still need storing
	 */
	void finish(LiveReply last, Outcome outcome, boolean allStored, boolean groundingUnsaved) {
		String finalText = last.text();
		boolean saved = false;
		for (int attempt = 1; attempt <= 5 && !saved; attempt++) {
			try {
				if (groundingUnsaved && last.grounding() != null) {
					replies.saveGrounding(messageId, last.grounding());
					groundingUnsaved = false;
				}
				boolean ended = node == null
						? replies.finish(messageId, finalText, last.thinking(), last.parts(), outcome)
						: replies.finish(messageId, node, finalText, last.thinking(), last.parts(), outcome);
				if (!ended) {
					// another node ended it first, or took it over (it took this one for
					// dead): what is stored is the truth
					Optional<ChatMessage> stored = messages.message(owner, messageId);
					if (stored.isPresent() && stored.get().isStreaming()) {
						log.info("Reply {} goes on on another node; this one lets go of it", messageId);
						return;
					}
					stored = stored.filter(m -> m.status().isFinal());
					if (stored.isPresent()) {
						finalText = stored.get().text();
						outcome = new Outcome(stored.get().status(), stored.get().error(), stored.get().finishReason(),
								stored.get().usage());
					}
				}
				saved = true;
			}
			catch (RuntimeException e) {
				log.warn("Storing the end of reply {} failed (attempt {}): {}", messageId, attempt, e.toString());
				sleepQuietly(Duration.ofMillis(100L << attempt));
			}
		}
		if (!saved) {
			// still STREAMING in storage: the next start-up marks it interrupted with
			// what was stored
			log.error("Reply {} could not be stored; {} of {} characters were", messageId,
					allStored ? finalText.length() : "some", finalText.length());
			outcome = new Outcome(MessageStatus.FAILED,
					"The answer could not be saved (database unavailable); it is shown here but may be lost on reload.",
					outcome.finishReason(), outcome.usage(), outcome.firstToken());
		}
		broadcaster.publish(new MessageEvent.Finished(conversationId, messageId, outcome.status(), outcome.error(),
				outcome.finishReason(), outcome.usage(), Duration.between(startedAt, clock.instant()),
				finalText.length(), last.thinking().length(), outcome.firstToken()));
	}

	private static void sleepQuietly(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

}
