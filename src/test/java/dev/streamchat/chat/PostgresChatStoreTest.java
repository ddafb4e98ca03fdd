package dev.streamchat.chat;

import dev.streamchat.testing.OnPostgres;

/**
 * The storage tests again, on a real PostgreSQL (text, UTF-16 offsets, surrogate pairs,
 * 200 k characters).
 */
@OnPostgres
class PostgresChatStoreTest extends ChatStoreTest {

}
