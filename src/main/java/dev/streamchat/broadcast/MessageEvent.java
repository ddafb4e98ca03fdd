package dev.streamchat.broadcast;

import java.time.Duration;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.Usage;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a pane's messages, in the order it happens, fanned out to every UI
 * showing the pane.
 */
public sealed interface MessageEvent {

	ConversationId paneId();

	MessageId messageId();

	/**
	 * A message was stored: the user's prompt, or a reply that starts out empty and
	 * streaming.
	 */
	record Added(ChatMessage message) implements MessageEvent {
		@Override
		public ConversationId paneId() {
			return message.conversationId();
		}

		@Override
		public MessageId messageId() {
			return message.id();
		}
	}

	/** A message was deleted (with the rest of its exchange): every view drops it. */
	record Removed(ConversationId paneId, MessageId messageId) implements MessageEvent {
	}

	/**
	 * The conversation took another path: {@code messageId} became the chosen version of
	 * its prompt or answer (switched to, edited, regenerated), so what follows it changed
	 * too. Every view shows the conversation again as stored.
	 */
	record PathChanged(ConversationId paneId, MessageId messageId) implements MessageEvent {
	}

	/**
	 * A streaming reply's state changed, for the phase label ("waiting for model",
	 * "generating", "retrying").
	 */
	record PhaseChanged(ConversationId paneId, MessageId messageId, Phase phase,
			@Nullable String detail) implements MessageEvent {
	}

	/**
	 * Text appended to a streaming reply. {@code offset} is the reply's length (UTF-16
	 * units) before this text: a receiver skips what it already has and reloads when a
	 * delta starts beyond it.
	 */
	record Delta(ConversationId paneId, MessageId messageId, int offset, String text) implements MessageEvent {
		public int end() {
			return offset + text.length();
		}
	}

	/**
	 * Thought-summary text appended to a streaming reply, with the same offset rule as
	 * {@link Delta} but its own offsets: thinking is a separate part of the reply.
	 */
	record ThoughtDelta(ConversationId paneId, MessageId messageId, int offset, String text) implements MessageEvent {
		public int end() {
			return offset + text.length();
		}
	}

	/**
	 * A tool call of a streaming reply started (status RUNNING) or ended.
	 * {@code part.seq()} is its index among the reply's parts and {@code part.anchor()}
	 * the answer offset it stands at, so a receiver that does not show the answer up to
	 * there has missed something and reloads.
	 */
	record ToolUpdate(ConversationId paneId, MessageId messageId, ToolPart part) implements MessageEvent {
	}

	/**
	 * The web sources of a streaming reply as they now stand (they replace earlier ones):
	 * numbered sources, citations at answer offsets, queries, search entry point. Stored
	 * before published.
	 */
	record Grounded(ConversationId paneId, MessageId messageId, Grounding grounding) implements MessageEvent {
	}

	/**
	 * A reply ended; {@code length} and {@code thinkingLength} are its final text
	 * lengths, so a receiver can tell whether it missed anything.
	 */
	record Finished(ConversationId paneId, MessageId messageId, MessageStatus status, @Nullable String error,
			@Nullable String finishReason, Usage usage, Duration elapsed, int length, int thinkingLength,
			@Nullable Duration firstToken) implements MessageEvent {
	}

	/**
	 * A streaming reply is taken up again by another node, after the node generating it
	 * went away (or let go of it while shutting down): the answer goes on from
	 * {@code offset} and its thinking from {@code thinkingOffset}, the lengths stored. A
	 * view that shows more (text the lost node streamed but never stored) or less
	 * rebuilds the reply from there; a seam is marked at {@code offset}.
	 */
	record Resumed(ConversationId paneId, MessageId messageId, int offset, int thinkingOffset) implements MessageEvent {
	}

	/**
	 * {@code PAUSED}: the reply waits for another server to take it up ({@code detail}
	 * says so).
	 */
	enum Phase {

		WAITING, GENERATING, RETRYING, PAUSED

	}

}
