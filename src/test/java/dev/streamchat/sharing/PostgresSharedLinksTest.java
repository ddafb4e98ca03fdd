package dev.streamchat.sharing;

import dev.streamchat.testing.OnPostgres;

/** The share-link storage tests again, on a real PostgreSQL. */
@OnPostgres
class PostgresSharedLinksTest extends SharedLinksTest {

}
