package dev.streamchat.chat;

import dev.streamchat.testing.OnPostgres;

/**
 * The attachment storage tests again, on a real PostgreSQL (bytea, cascades, the purge's
 * timestamps).
 */
@OnPostgres
class PostgresAttachmentStoreTest extends AttachmentStoreTest {

}
