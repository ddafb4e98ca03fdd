package dev.streamchat.broadcast.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import org.jspecify.annotations.Nullable;

/**
 * This node's copies of the text of replies streaming on other nodes, for views here that
 * join one mid-way: kept only while a tab here shows the reply and deltas keep coming,
 * dropped at a gap (storage is the truth then).
 */
final class RemoteTexts {

	private final Map<MessageId, RemoteText> texts = new ConcurrentHashMap<>();

	private final Predicate<ConversationId> watched;

	private final Function<MessageId, String> stored;

	private final Duration ttl;

	/**
	 * @param watched whether a tab of this node shows the conversation
	 * @param stored a reply's text as stored
	 * @param ttl how long a copy that hears nothing is kept
	 */
	RemoteTexts(Predicate<ConversationId> watched, Function<MessageId, String> stored, Duration ttl) {
		this.watched = watched;
		this.stored = stored;
		this.ttl = ttl;
	}

	Optional<String> text(MessageId reply) {
		RemoteText text = texts.get(reply);
		return text == null ? Optional.empty() : Optional.of(text.copy());
	}

	/**
	 * Extends the copy of a remote reply's text, before the delta reaches any listener.
	 */
	void follow(String from, MessageEvent.Delta delta) {
		if (!watched.test(delta.paneId())) {
			// nobody here shows it: a pane opened later starts from storage, as any late
			// one does
			texts.remove(delta.messageId());
			return;
		}
		RemoteText text = texts.get(delta.messageId());
		if (text == null) {
			text = delta.offset() == 0 ? new RemoteText(from, delta.paneId(), "") : fromStorage(from, delta);
			if (text == null) {
				return;
			}
			texts.put(delta.messageId(), text);
		}
		if (!text.append(delta)) {
			texts.remove(delta.messageId());
		}
	}

	/**
	 * A reply first seen mid-way: usable once storage holds everything before this delta.
	 */
	private @Nullable RemoteText fromStorage(String from, MessageEvent.Delta delta) {
		String storedText = stored.apply(delta.messageId());
		return storedText.length() >= delta.offset()
				? new RemoteText(from, delta.paneId(), storedText.substring(0, delta.offset())) : null;
	}

	/** Storage has the whole text now, or another node took the reply up from it. */
	void forget(MessageId reply) {
		texts.remove(reply);
	}

	/** Notifications of {@code origin} were missed: its copies may have gaps. */
	void forgetOrigin(String origin) {
		texts.values().removeIf(t -> t.origin.equals(origin));
	}

	/**
	 * Drops the copies of replies that no tab here shows any more, or that heard nothing
	 * for the TTL.
	 */
	void sweep(long nowNanos) {
		texts.values().removeIf(t -> !watched.test(t.pane) || nowNanos - t.touched > ttl.toNanos());
	}

	void clear() {
		texts.clear();
	}

	private static final class RemoteText {

		final String origin;

		final ConversationId pane;

		private final StringBuilder text;

		/** {@link System#nanoTime()} of the last delta. */
		volatile long touched = System.nanoTime();

		RemoteText(String origin, ConversationId pane, String start) {
			this.origin = origin;
			this.pane = pane;
			this.text = new StringBuilder(start);
		}

		/**
		 * @return false after a gap: this copy is no good any more
		 */
		synchronized boolean append(MessageEvent.Delta delta) {
			touched = System.nanoTime();
			if (delta.offset() > text.length()) {
				return false;
			}
			if (delta.end() > text.length()) {
				text.append(delta.text(), text.length() - delta.offset(), delta.text().length());
			}
			return true;
		}

		synchronized String copy() {
			return text.toString();
		}

	}

}
