package dev.streamchat.streaming;

import dev.streamchat.testing.OnPostgres;
import org.springframework.test.context.TestPropertySource;

/**
 * The streaming tests again, on a real PostgreSQL in multi-node mode: the node holds a lease and
 * publishes every event by NOTIFY as well, so this also checks that none of it disturbs a reply.
 */
@OnPostgres
@TestPropertySource(properties = {"chat.cluster.mode=postgres", "chat.cluster.heartbeat-interval=200ms",
        "chat.cluster.lease-time=2s"})
class PostgresStreamingServiceTest extends StreamingServiceTest {
}
