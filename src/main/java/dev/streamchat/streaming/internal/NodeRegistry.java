package dev.streamchat.streaming.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Leases of the app nodes sharing the database: a node renews its lease by heartbeat; a
 * node whose lease is older than the lease time counts as dead. All times are the
 * database's, so the nodes' clocks need not agree.
 */
@Service
public class NodeRegistry {

	private final JdbcClient jdbc;

	NodeRegistry(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Renews (or takes out) the lease of {@code node}.
	 * @return false when the node had no lease any more: another node took it for dead
	 */
	@Transactional
	public boolean heartbeat(String node) {
		int renewed = jdbc.sql("update node set heartbeat_at = current_timestamp where id = :id")
			.param("id", node)
			.update();
		if (renewed == 0) {
			jdbc.sql("insert into node (id, heartbeat_at) values (:id, current_timestamp)").param("id", node).update();
		}
		return renewed == 1;
	}

	/**
	 * Forgets the other nodes whose lease ran out more than {@code lease} ago (their
	 * replies must be ended first). Never {@code self}: a node that was paused only
	 * learns it from a lease taken away by another.
	 */
	@Transactional
	public int forgetExpired(String self, Duration lease) {
		return jdbc.sql("delete from node where heartbeat_at < :liveSince and id <> :self")
			.param("liveSince", toDatabase(databaseNow().minus(lease)))
			.param("self", self)
			.update();
	}

	/** A node leaving cleanly gives its lease up, so nobody waits for it to expire. */
	@Transactional
	public void leave(String node) {
		jdbc.sql("delete from node where id = :id").param("id", node).update();
	}

	public Instant databaseNow() {
		return jdbc.sql("select current_timestamp").query(OffsetDateTime.class).single().toInstant();
	}

	private static OffsetDateTime toDatabase(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
