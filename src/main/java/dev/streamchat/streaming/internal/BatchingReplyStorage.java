package dev.streamchat.streaming.internal;

import java.time.Duration;

import dev.streamchat.chat.ChatStore;
import dev.streamchat.chat.MessageId;
import dev.streamchat.streaming.ReplyStorage;
import dev.streamchat.streaming.StreamingProperties;
import org.springframework.stereotype.Component;

/** Appends each reply in batches through a {@link Batcher}: taking a chunk never waits for the database. */
@Component
public class BatchingReplyStorage implements ReplyStorage {

    private final ChatStore store;
    private final StreamingProperties properties;

    public BatchingReplyStorage(ChatStore store, StreamingProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Override
    public Writer open(MessageId reply) {
        Batcher batcher = new Batcher(reply.toString(), (offset, batch) -> store.append(reply, offset, batch),
                properties.flushInterval(), properties.flushChars());
        return new Writer() {
            @Override
            public void append(int offset, String text) {
                batcher.offer(text);
            }

            @Override
            public boolean close(Duration timeout) {
                return batcher.close(timeout);
            }

            @Override
            public int writes() {
                return batcher.writes();
            }
        };
    }
}
