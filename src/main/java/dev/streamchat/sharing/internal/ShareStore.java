package dev.streamchat.sharing.internal;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import dev.streamchat.chat.ConversationId;
import dev.streamchat.security.UserId;
import dev.streamchat.sharing.ShareId;
import dev.streamchat.sharing.SharedConversation;
import dev.streamchat.sharing.SharedLink;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Share links and their snapshots (one JSON document each): plain SQL, portable between
 * H2 and PostgreSQL.
 */
@Repository
public class ShareStore {

	private final JdbcClient jdbc;

	/** Boot's one JSON mapper: the snapshot is stored as JSON. */
	private final JsonMapper json;

	ShareStore(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	public void save(UserId owner, SharedLink link, SharedConversation snapshot) {
		jdbc.sql("""
				insert into shared_link (id, owner_id, pane_id, title, created_at, snapshot)
				values (:id, :owner, :pane, :title, :createdAt, :snapshot)""")
			.param("id", link.id().value())
			.param("owner", owner.value())
			.param("pane", link.paneId().value())
			.param("title", link.title())
			.param("createdAt", Timestamp.from(link.createdAt()))
			.param("snapshot", json.writeValueAsString(snapshot))
			.update();
	}

	public List<SharedLink> linksOf(UserId owner) {
		return jdbc.sql("""
				select s.id, s.pane_id, s.title, s.created_at from shared_link s join pane p on p.id = s.pane_id
				 where s.owner_id = :owner and p.deleted_at is null
				 order by s.created_at desc, s.id""")
			.param("owner", owner.value())
			.query((rs, n) -> new SharedLink(new ShareId(rs.getString(1)), new ConversationId(rs.getLong(2)),
					rs.getString(3), rs.getTimestamp(4).toInstant()))
			.list();
	}

	public boolean delete(UserId owner, ShareId id) {
		return jdbc.sql("delete from shared_link where id = :id and owner_id = :owner")
			.param("id", id.value())
			.param("owner", owner.value())
			.update() == 1;
	}

	/** A link's snapshot and whose it is. */
	public record Stored(UserId owner, SharedConversation snapshot) {
	}

	/**
	 * The snapshot behind a link, unless its conversation is deleted; one that cannot be
	 * read counts as none.
	 */
	public Optional<Stored> snapshot(ShareId id) {
		return jdbc.sql("""
				select s.owner_id, s.snapshot from shared_link s join pane p on p.id = s.pane_id
				 where s.id = :id and p.deleted_at is null""")
			.param("id", id.value())
			.query((rs, n) -> new Row(rs.getLong(1), rs.getString(2)))
			.optional()
			.flatMap(row -> {
				try {
					return Optional.of(new Stored(new UserId(row.owner()),
							json.readValue(row.snapshot(), SharedConversation.class)));
				}
				catch (JacksonException e) {
					return Optional.empty();
				}
			});
	}

	private record Row(long owner, String snapshot) {
	}

}
