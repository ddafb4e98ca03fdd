package dev.streamchat.streaming.internal;

import java.time.Duration;

import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.streaming.ReplyStorage;
import dev.streamchat.streaming.StreamingProperties;
import org.springframework.stereotype.Component;

/**
 * Appends each reply in batches through a {@link Batcher} for its answer and another for
 * its thinking: taking a chunk never waits for the database.
 */
@Component
public class BatchingReplyStorage implements ReplyStorage {

	private final ReplyWriter replies;

	private final StreamingProperties properties;

	public BatchingReplyStorage(ReplyWriter replies, StreamingProperties properties) {
		this.replies = replies;
		this.properties = properties;
	}

	@Override
	public Writer open(MessageId reply) {
		return open(reply, 0, 0);
	}

	@Override
	public Writer open(MessageId reply, int textFrom, int thinkingFrom) {
		Batcher answer = new Batcher(reply.toString(), (offset, batch) -> replies.append(reply, offset, batch),
				properties.flushInterval(), properties.flushChars(), textFrom);
		Batcher thought = new Batcher(reply + "-thought",
				(offset, batch) -> replies.appendThought(reply, offset, batch), properties.flushInterval(),
				properties.flushChars(), thinkingFrom);
		return new Writer() {
			@Override
			public void append(int offset, String text) {
				answer.offer(text);
			}

			@Override
			public void appendThought(int offset, String text) {
				thought.offer(text);
			}

			@Override
			public boolean close(Duration timeout) {
				// both, even when the first fails
				return answer.close(timeout) & thought.close(timeout);
			}

			/**
			 * Answer batches only, as before thinking went through here: what the figures
			 * compare.
			 */
			@Override
			public int writes() {
				return answer.writes();
			}
		};
	}

}
