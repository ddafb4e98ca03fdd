package dev.streamchat.history;

import dev.streamchat.testing.OnPostgres;

/**
 * The caps again on a real PostgreSQL, where the races between nodes are (its read
 * committed transactions let two count-then-insert steps both see room for one more).
 */
@OnPostgres
class PostgresConversationLimitsTest extends ConversationLimitsTest {

}
