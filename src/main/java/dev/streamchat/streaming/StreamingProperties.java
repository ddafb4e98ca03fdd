package dev.streamchat.streaming;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How replies are generated and stored; see application.properties for each key.
 *
 * @param flushInterval  longest time streamed text waits in memory before it is appended to storage
 * @param flushChars     pending characters that trigger an append before the interval is up
 * @param maxPromptChars longest prompt accepted
 * @param shutdownGrace  how long shutting down waits for replies to be stored as interrupted
 */
@ConfigurationProperties("chat.streaming")
public record StreamingProperties(
        @DefaultValue("50ms") Duration flushInterval,
        @DefaultValue("4000") int flushChars,
        @DefaultValue("32000") int maxPromptChars,
        @DefaultValue("5s") Duration shutdownGrace) {
}
