package dev.streamchat.chat.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Tool-call parts of replies, and full-text search over messages: plain SQL, portable
 * between H2 and PostgreSQL.
 */
@Repository
public class PartRepository {

	private final JdbcClient jdbc;

	PartRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The parts of the given messages, in order; one query however many messages. */
	public List<PartRow> partsOf(Collection<Long> messageIds) {
		if (messageIds.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("""
				select message_id, seq, anchor, kind, name, args, status, result, error
				  from message_part where message_id in (:ids) order by message_id, seq""")
			.param("ids", messageIds)
			.query(PartRow.class)
			.list();
	}

	/**
	 * Inserts or replaces one part; parts are few (one per tool call), so two statements
	 * are fine.
	 */
	public void save(PartRow part) {
		if (update(part) == 0) {
			try {
				jdbc.sql("""
						insert into message_part (message_id, seq, anchor, kind, name, args, status, result, error)
						values (:messageId, :seq, :anchor, :kind, :name, :args, :status, :result, :error)""")
					.paramSource(part)
					.update();
			}
			catch (DuplicateKeyException raced) {
				update(part);
			}
		}
	}

	private int update(PartRow part) {
		return jdbc.sql("""
				update message_part set anchor = :anchor, kind = :kind, name = :name, args = :args,
				       status = :status, result = :result, error = :error
				 where message_id = :messageId and seq = :seq""").paramSource(part).update();
	}

	public record Hit(long id, long paneId, String title, String role, String content, Instant createdAt) {
	}

	/**
	 * The owner's messages containing {@code needle} (case-insensitive), newest first,
	 * outside pane {@code excludePane} and outside deleted conversations, among what the
	 * conversations show (not the versions an edit or a regeneration left behind).
	 */
	public List<Hit> search(long ownerId, String needle, long excludePane, int limit) {
		String pattern = "%"
				+ needle.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
		return jdbc.sql("""
				select m.id, m.pane_id, p.title, m.role, m.content, m.created_at
				  from message m join pane p on p.id = m.pane_id
				 where p.owner_id = :owner and p.deleted_at is null and m.pane_id <> :exclude
				   and m.superseded = false and lower(m.content) like :pattern escape '\\'
				 order by m.id desc
				 limit :limit""")
			.param("owner", ownerId)
			.param("exclude", excludePane)
			.param("pattern", pattern)
			.param("limit", limit)
			.query(Hit.class)
			.list();
	}

}
