package dev.streamchat.chat.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.streamchat.chat.Attachment;
import dev.streamchat.chat.AttachmentId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.NewAttachment;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Attachments' metadata and bytes, in two tables so that listing never reads the bytes.
 * Plain SQL, portable between H2 and PostgreSQL.
 */
@Repository
public class AttachmentRepository {

	private static final String COLUMNS = """
			a.id, a.message_id, a.name, a.mime_type, a.size_bytes, a.width, a.height, a.remote_uri,
			a.remote_expires_at""";

	private final JdbcClient jdbc;

	AttachmentRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores the files of a message in order (metadata, then bytes); the caller's
	 * transaction makes it all or nothing.
	 */
	public void insert(long messageId, List<NewAttachment> files, Instant now) {
		for (int seq = 0; seq < files.size(); seq++) {
			NewAttachment file = files.get(seq);
			KeyHolder key = new GeneratedKeyHolder();
			jdbc.sql("""
					insert into attachment (message_id, seq, name, mime_type, size_bytes, width, height, created_at)
					values (:messageId, :seq, :name, :mimeType, :size, :width, :height, :createdAt)""")
				.param("messageId", messageId)
				.param("seq", seq)
				.param("name", file.name())
				.param("mimeType", file.mimeType())
				.param("size", file.size())
				.param("width", file.width())
				.param("height", file.height())
				.param("createdAt", now.atOffset(ZoneOffset.UTC))
				.update(key, "id");
			long id = Objects.requireNonNull(key.getKey()).longValue();
			jdbc.sql("insert into attachment_data (attachment_id, bytes) values (:id, :bytes)")
				.param("id", id)
				.param("bytes", file.bytes())
				.update();
		}
	}

	/**
	 * Copies the files of one message to another, bytes included, inside the database (an
	 * edited prompt keeps its files). The copies start without a remote copy of their
	 * own.
	 */
	public void copy(long fromMessage, long toMessage, Instant now) {
		List<Long> ids = jdbc.sql("select id from attachment where message_id = :m order by seq")
			.param("m", fromMessage)
			.query(Long.class)
			.list();
		for (long id : ids) {
			KeyHolder key = new GeneratedKeyHolder();
			jdbc.sql("""
					insert into attachment (message_id, seq, name, mime_type, size_bytes, width, height, created_at)
					select :to, seq, name, mime_type, size_bytes, width, height, :now from attachment where id = :id""")
				.param("to", toMessage)
				.param("now", now.atOffset(ZoneOffset.UTC))
				.param("id", id)
				.update(key, "id");
			long copy = Objects.requireNonNull(key.getKey()).longValue();
			jdbc.sql(
					"insert into attachment_data (attachment_id, bytes) select :copy, bytes from attachment_data where attachment_id = :id")
				.param("copy", copy)
				.param("id", id)
				.update();
		}
	}

	/** The files of the given messages, in order; one query however many messages. */
	public List<Attachment> of(Collection<Long> messageIds) {
		if (messageIds.isEmpty()) {
			return List.of();
		}
		return jdbc
			.sql("select " + COLUMNS + " from attachment a where a.message_id in (:ids) order by a.message_id, a.seq")
			.param("ids", messageIds)
			.query(AttachmentRepository::attachment)
			.list();
	}

	/**
	 * An attachment of a message in one of the owner's conversations that is not deleted;
	 * empty for another user's id, as for one that does not exist.
	 */
	public Optional<Attachment> findOwned(long id, long ownerId) {
		return jdbc.sql("select " + COLUMNS + """
				 from attachment a join message m on m.id = a.message_id join pane p on p.id = m.pane_id
				where a.id = :id and p.owner_id = :owner and p.deleted_at is null""")
			.param("id", id)
			.param("owner", ownerId)
			.query(AttachmentRepository::attachment)
			.optional();
	}

	public Optional<byte[]> bytes(long id) {
		return jdbc.sql("select bytes from attachment_data where attachment_id = :id")
			.param("id", id)
			.query((rs, n) -> rs.getBytes(1))
			.optional();
	}

	public void rememberRemote(long id, String uri, @Nullable Instant expiresAt) {
		jdbc.sql("update attachment set remote_uri = :uri, remote_expires_at = :expires where id = :id")
			.param("uri", uri)
			.param("expires", expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC))
			.param("id", id)
			.update();
	}

	/**
	 * Deletes the files of conversations deleted before {@code before} (their Undo is
	 * long over); the messages stay, as the conversation's rows do.
	 * @return how many files went
	 */
	public int purgeDeletedBefore(Instant before) {
		return jdbc.sql("""
				delete from attachment where message_id in (
				    select m.id from message m join pane p on p.id = m.pane_id
				     where p.deleted_at is not null and p.deleted_at < :before)""")
			.param("before", before.atOffset(ZoneOffset.UTC))
			.update();
	}

	private static Attachment attachment(ResultSet rs, int row) throws SQLException {
		OffsetDateTime expires = rs.getObject("remote_expires_at", OffsetDateTime.class);
		return new Attachment(new AttachmentId(rs.getLong("id")), new MessageId(rs.getLong("message_id")),
				rs.getString("name"), rs.getString("mime_type"), rs.getLong("size_bytes"),
				(Integer) rs.getObject("width", Integer.class), (Integer) rs.getObject("height", Integer.class),
				rs.getString("remote_uri"), expires == null ? null : expires.toInstant());
	}

}
