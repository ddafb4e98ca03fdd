package dev.streamchat.streaming.internal;

import dev.streamchat.testing.ClusterAppTest;

/**
 * The fence again on PostgreSQL, as one node of several (the row lock and the claim's
 * order are what a concurrent claim relies on there).
 */
@ClusterAppTest
class PostgresFencedAppendsTest extends FencedAppendsTest {

}
