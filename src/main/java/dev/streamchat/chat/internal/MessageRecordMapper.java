package dev.streamchat.chat.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;

/**
 * Reads a {@code message} row into its record by column name, for the reads on a user's
 * way to the model (the conversation sent with a prompt) and of a conversation's pages.
 * Spring Data JDBC's generic entity mapping took 5–8 ms for 10–20 rows there, a lean
 * query under 1 ms (benchmark scenario 8, traced): a reply's request waits for that read.
 */
public final class MessageRecordMapper implements RowMapper<MessageRecord> {

	@Override
	public MessageRecord mapRow(ResultSet rs, int rowNum) throws SQLException {
		return new MessageRecord(rs.getLong("id"), rs.getLong("pane_id"), rs.getString("role"), rs.getString("content"),
				rs.getString("status"), rs.getString("model"), rs.getString("error"), rs.getString("finish_reason"),
				rs.getInt("input_tokens"), rs.getInt("output_tokens"), rs.getInt("thought_tokens"),
				instant(rs, "created_at"), instantOrNull(rs, "finished_at"), rs.getString("node_id"),
				rs.getString("thinking"), rs.getObject("first_token_ms", Integer.class), rs.getBoolean("superseded"),
				rs.getObject("parent_id", Long.class), rs.getBoolean("replaced"), rs.getString("seams"),
				rs.getObject("streaming_pane", Long.class), rs.getInt("context_dropped"), rs.getString("grounding"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Instant at = instantOrNull(rs, column);
		if (at == null) {
			throw new SQLException(column + " is null");
		}
		return at;
	}

	private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
		OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
		return at == null ? null : at.toInstant();
	}

}
