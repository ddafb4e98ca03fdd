package dev.streamchat.chat.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * Panes, i.e. conversations. A deleted one ({@code deleted_at} set) is found by none of
 * the finders. Changes of a single column are single updates, not a read-modify-save of
 * the row, so that an automatic title landing meanwhile is not overwritten with the old
 * one.
 */
public interface ConversationRepository extends ListCrudRepository<ConversationRow, Long> {

	List<ConversationRow> findByOwnerIdAndOpenTrueAndDeletedAtIsNullOrderByPositionAscIdAsc(long ownerId);

	/** The owner's conversation unless deleted: read before every prompt's request. */
	@Query(value = "select * from pane where id = :id and owner_id = :ownerId and deleted_at is null",
			rowMapperClass = ConversationRowMapper.class)
	Optional<ConversationRow> findByIdAndOwnerIdAndDeletedAtIsNull(long id, long ownerId);

	/** Also a deleted pane, for undoing its deletion. */
	Optional<ConversationRow> findByIdAndOwnerId(long id, long ownerId);

	@Query("select coalesce(max(position), 0) from pane where owner_id = :ownerId")
	int maxPosition(long ownerId);

	int countByOwnerIdAndDeletedAtIsNull(long ownerId);

	/**
	 * The owner's conversations, the one with the latest message (or, without any,
	 * created last) first.
	 */
	@Query("""
			select p.* from pane p
			 where p.owner_id = :ownerId and p.deleted_at is null
			 order by coalesce((select max(m.created_at) from message m where m.pane_id = p.id), p.created_at) desc,
			          p.id desc""")
	List<ConversationRow> findConversations(long ownerId);

	@Modifying
	@Query("update pane set model = :model where id = :id and owner_id = :ownerId and deleted_at is null")
	int updateModel(long id, long ownerId, String model);

	@Modifying
	@Query("""
			update pane set system_instruction = :instruction, temperature = :temperature
			 where id = :id and owner_id = :ownerId and deleted_at is null""")
	int updateSettings(long id, long ownerId, @Nullable String instruction, @Nullable Double temperature);

	@Modifying
	@Query("update pane set web_search = :on where id = :id and owner_id = :ownerId and deleted_at is null")
	int updateWebSearch(long id, long ownerId, boolean on);

	@Modifying
	@Query("update pane set open = :open, position = :position where id = :id and owner_id = :ownerId and deleted_at is null")
	int updateOpen(long id, long ownerId, boolean open, int position);

	/** The user's title: it stays, whatever an automatic title would have been. */
	@Modifying
	@Query("update pane set title = :title, title_set = true where id = :id and owner_id = :ownerId and deleted_at is null")
	int rename(long id, long ownerId, String title);

	/**
	 * An automatic title, unless the conversation got one already (from the user or an
	 * earlier answer).
	 */
	@Modifying
	@Query("""
			update pane set title = :title, title_set = true
			 where id = :id and owner_id = :ownerId and title_set = false and deleted_at is null""")
	int setTitleIfUnset(long id, long ownerId, String title);

	@Modifying
	@Query("update pane set deleted_at = :at where id = :id and owner_id = :ownerId and deleted_at is null")
	int markDeleted(long id, long ownerId, Instant at);

	@Modifying
	@Query("update pane set deleted_at = null where id = :id and owner_id = :ownerId and deleted_at is not null")
	int unmarkDeleted(long id, long ownerId);

}
