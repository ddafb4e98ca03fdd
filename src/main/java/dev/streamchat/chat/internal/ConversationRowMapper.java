package dev.streamchat.chat.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;

/**
 * Reads a {@code pane} row into its record by column name, for the read every prompt
 * makes before its model request (the conversation's settings, owner checked): Spring
 * Data JDBC's derived query with its generic entity mapping took 2–3 ms there (benchmark
 * scenario 8, traced), this one a fraction of it.
 */
public final class ConversationRowMapper implements RowMapper<ConversationRow> {

	@Override
	public ConversationRow mapRow(ResultSet rs, int rowNum) throws SQLException {
		return new ConversationRow(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("title"),
				rs.getString("model"), rs.getInt("position"), rs.getBoolean("open"),
				instant(rs.getObject("created_at", OffsetDateTime.class)), rs.getString("system_instruction"),
				rs.getObject("temperature", Double.class), rs.getBoolean("title_set"),
				instantOrNull(rs.getObject("deleted_at", OffsetDateTime.class)), rs.getBoolean("web_search"));
	}

	private static Instant instant(@Nullable OffsetDateTime at) throws SQLException {
		if (at == null) {
			throw new SQLException("created_at is null");
		}
		return at.toInstant();
	}

	private static @Nullable Instant instantOrNull(@Nullable OffsetDateTime at) {
		return at == null ? null : at.toInstant();
	}

}
