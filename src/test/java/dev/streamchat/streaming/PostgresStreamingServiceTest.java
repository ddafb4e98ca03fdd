package dev.streamchat.streaming;

import dev.streamchat.testing.OnPostgresCluster;

/**
 * The streaming tests again, on a real PostgreSQL in multi-node mode: the node holds a
 * lease and publishes every event by NOTIFY as well, so this also checks that none of it
 * disturbs a reply.
 */
@OnPostgresCluster
class PostgresStreamingServiceTest extends StreamingServiceTest {

}
