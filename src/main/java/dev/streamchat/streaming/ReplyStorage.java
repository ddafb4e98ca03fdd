package dev.streamchat.streaming;

import java.time.Duration;

import dev.streamchat.chat.MessageId;

/**
 * How a reply's text and thinking reach storage while it streams (its end is always one
 * {@code ReplyWriter.finish}). The default batches appends on a thread of its own; the
 * benchmark swaps in the seed plan's per-chunk read-modify-write to measure against it.
 */
public interface ReplyStorage {

	/**
	 * Starts storing one reply; called on the generation's thread before it reads the
	 * model's stream.
	 */
	Writer open(MessageId reply);

	/**
	 * Starts storing a reply taken up again after its node went away: its answer goes on
	 * at {@code textFrom} and its thinking at {@code thinkingFrom} (the lengths stored).
	 */
	default Writer open(MessageId reply, int textFrom, int thinkingFrom) {
		if (textFrom == 0 && thinkingFrom == 0) {
			return open(reply);
		}
		throw new UnsupportedOperationException("this storage cannot take a reply up again");
	}

	/** The storage of one reply; used by the generation's thread only. */
	interface Writer {

		/**
		 * Takes a chunk that starts at {@code offset} (UTF-16 units). Called before the
		 * chunk is published, so whatever this waits for, the screen waits for too.
		 */
		void append(int offset, String text);

		/**
		 * Takes a chunk of thought-summary text that starts at {@code offset} of the
		 * reply's thinking.
		 */
		void appendThought(int offset, String text);

		/**
		 * Stores whatever is still pending, answer and thinking.
		 * @return true when every chunk reached storage
		 */
		boolean close(Duration timeout);

		/** Storage writes made so far (not counting the final one). */
		int writes();

	}

}
