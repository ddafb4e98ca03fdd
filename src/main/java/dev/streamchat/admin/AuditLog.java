package dev.streamchat.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What admins did (table admin_audit), written in the same transaction as the change it
 * records.
 */
@Service
public class AuditLog {

	private final JdbcClient jdbc;

	private final Clock clock = Clock.systemUTC();

	AuditLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void record(String actor, Action action, String target, @Nullable String detail) {
		jdbc.sql(
				"insert into admin_audit (at, actor, action, target, detail) values (:at, :actor, :action, :target, :detail)")
			.param("at", clock.instant().atOffset(ZoneOffset.UTC))
			.param("actor", actor)
			.param("action", action.name())
			.param("target", target)
			.param("detail", detail == null || detail.length() <= 500 ? detail : detail.substring(0, 499) + "…")
			.update();
	}

	/** The latest {@code limit} entries, newest first. */
	public List<Entry> latest(int limit) {
		return jdbc
			.sql("select at, actor, action, target, detail from admin_audit order by at desc, id desc limit :limit")
			.param("limit", limit)
			.query((rs, n) -> new Entry(rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
					Action.valueOf(rs.getString("action")), rs.getString("target"), rs.getString("detail")))
			.list();
	}

	/** One admin action; never a password. */
	public record Entry(Instant at, String actor, Action action, @Nullable String target, @Nullable String detail) {
	}

	public enum Action {

		CREATE_USER, DISABLE_USER, ENABLE_USER, RESET_PASSWORD, CHANGE_ROLE, SET_BUDGET

	}

}
