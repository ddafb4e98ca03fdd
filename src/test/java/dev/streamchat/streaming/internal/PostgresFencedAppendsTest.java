package dev.streamchat.streaming.internal;

import dev.streamchat.testing.OnPostgresCluster;

/**
 * The fence again on PostgreSQL, as one node of several (the row lock and the claim's
 * order are what a concurrent claim relies on there).
 */
@OnPostgresCluster
class PostgresFencedAppendsTest extends FencedAppendsTest {

}
