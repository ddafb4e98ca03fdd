package dev.streamchat.chat;

import dev.streamchat.testing.OnPostgres;

/**
 * The conversation list's storage tests again, on a real PostgreSQL: the V6 migration and
 * its queries are portable.
 */
@OnPostgres
class PostgresConversationStoreTest extends ConversationStoreTest {

}
