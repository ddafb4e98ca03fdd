package dev.streamchat.chat.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

public interface MessageRepository extends ListCrudRepository<MessageRecord, Long> {

	List<MessageRecord> findByPaneIdOrderByIdAsc(long paneId);

	/**
	 * The {@code limit} messages of the conversation's current path before
	 * {@code beforeId}, newest first: one index range scan (message_by_pane), skipping
	 * the few versions not chosen.
	 */
	@Query(value = """
			select * from message where pane_id = :paneId and id < :beforeId and superseded = false
			 order by id desc limit :limit""", rowMapperClass = MessageRecordMapper.class)
	List<MessageRecord> pageBefore(long paneId, long beforeId, int limit);

	/**
	 * The current path of the owner's conversation, oldest first; none for a conversation
	 * that is not theirs (or deleted). One statement: what a prompt's request waits for.
	 */
	@Query(value = """
			select m.* from message m join pane p on p.id = m.pane_id
			 where m.pane_id = :paneId and p.owner_id = :ownerId and p.deleted_at is null and m.superseded = false
			 order by m.id""", rowMapperClass = MessageRecordMapper.class)
	List<MessageRecord> currentPathOwnedBy(long paneId, long ownerId);

	@Modifying
	@Query("delete from message where id in (:ids)")
	void deleteByIds(Collection<Long> ids);

	List<MessageRecord> findByStatus(String status);

	List<MessageRecord> findByStatusAndNodeId(String status, String nodeId);

	/**
	 * Replies streaming on no node, or on a node other than {@code self} whose lease ran
	 * out before {@code liveSince}.
	 */
	@Query("""
			select * from message
			 where status = 'STREAMING'
			   and (node_id is null
			        or (node_id <> :self
			            and node_id not in (select id from node where heartbeat_at >= :liveSince)))""")
	List<MessageRecord> findStreamingOfDeadNodes(String self, Instant liveSince);

	/** Replies of the owner's streaming now (few rows: message_by_status finds them). */
	@Query("select count(*) from message m join pane p on p.id = m.pane_id where m.status = 'STREAMING' and p.owner_id = :ownerId")
	int countStreamingOf(long ownerId);

	@Query("select exists (select 1 from message m join pane p on p.id = m.pane_id where m.pane_id = :paneId "
			+ "and p.owner_id = :ownerId and m.status = 'STREAMING')")
	boolean existsStreamingOwned(long paneId, long ownerId);

	@Query("select m.* from message m join pane p on p.id = m.pane_id where m.id = :messageId and p.owner_id = :ownerId")
	Optional<MessageRecord> findOwned(long messageId, long ownerId);

	/**
	 * One statement per batch: the reply's earlier text is neither read nor rewritten. A
	 * batch already stored is skipped rather than refused, since on PostgreSQL a refused
	 * insert spoils the transaction.
	 */
	@Modifying
	@Query("""
			insert into message_chunk (message_id, start_pos, content, packed)
			select :messageId, :startPos, :text, :packed
			 where not exists (select 1 from message_chunk where message_id = :messageId and start_pos = :startPos)""")
	void appendChunk(long messageId, int startPos, String text, byte[] packed);

	/**
	 * {@link #appendChunk} fenced in the same statement (issue 16, made one statement in
	 * issue 15): inserts only while the reply streams on {@code node}, and locks its row
	 * for the statement, so that a claim in progress makes it wait and then refuses it
	 * (on PostgreSQL the locked row is checked again once the claim commits), and a claim
	 * waits for it. 0: refused, or the batch was stored already.
	 */
	@Modifying
	@Query("""
			insert into message_chunk (message_id, start_pos, content, packed)
			select id, :startPos, :text, :packed from message
			 where id = :messageId and status = 'STREAMING' and node_id = :node
			   and not exists (select 1 from message_chunk where message_id = :messageId and start_pos = :startPos)
			 for update""")
	int appendChunkOn(long messageId, String node, int startPos, String text, byte[] packed);

	/** {@link #appendThoughtChunk} fenced as {@link #appendChunkOn}. */
	@Modifying
	@Query("""
			insert into thought_chunk (message_id, start_pos, content)
			select id, :startPos, :text from message
			 where id = :messageId and status = 'STREAMING' and node_id = :node
			   and not exists (select 1 from thought_chunk where message_id = :messageId and start_pos = :startPos)
			 for update""")
	int appendThoughtChunkOn(long messageId, String node, int startPos, String text);

	/** The batches' text in order ({@link BatchText}: some rows hold it deflated). */
	@Query(value = "select content, packed from message_chunk where message_id = :messageId order by start_pos",
			rowMapperClass = BatchText.class)
	List<String> chunks(long messageId);

	@Query("select count(*) from message_chunk where message_id = :messageId and start_pos = :startPos")
	int countChunkAt(long messageId, int startPos);

	@Modifying
	@Query("delete from message_chunk where message_id = :messageId")
	void deleteChunks(long messageId);

	/**
	 * Like {@link #appendChunk}: a batch already stored is skipped rather than refused,
	 * since the fenced append runs in a transaction that a refused insert would spoil on
	 * PostgreSQL.
	 */
	@Modifying
	@Query("""
			insert into thought_chunk (message_id, start_pos, content)
			select :messageId, :startPos, :text
			 where not exists (select 1 from thought_chunk where message_id = :messageId and start_pos = :startPos)""")
	void appendThoughtChunk(long messageId, int startPos, String text);

	@Query("select content from thought_chunk where message_id = :messageId order by start_pos")
	List<String> thoughtChunks(long messageId);

	@Modifying
	@Query("delete from thought_chunk where message_id = :messageId")
	void deleteThoughtChunks(long messageId);

	@Modifying
	@Query("update message set grounding = :grounding where id = :messageId")
	void saveGrounding(long messageId, @Nullable String grounding);

	/**
	 * Takes over a reply whose node went away (or handed it over): one compare-and-set on
	 * the node it was left by ({@code ''} for none), so that of several nodes sweeping at
	 * once exactly one wins. The row stays locked until the claim commits, so an append
	 * of the node it was taken from either committed before (and is part of the stored
	 * text the seam is measured on) or is refused after ({@link #lockStreamingOn}).
	 */
	@Modifying
	@Query("""
			update message set node_id = :self
			 where id = :messageId and status = 'STREAMING' and coalesce(node_id, '') = :previous""")
	int claim(long messageId, String self, String previous);

	/** Records where a claimed reply was taken up again (answer offsets). */
	@Modifying
	@Query("update message set seams = :seams where id = :messageId")
	void saveSeams(long messageId, String seams);

	/**
	 * Whether the reply still streams on {@code node} (locking its row for the rest of
	 * the transaction); empty once another node has claimed it or it has ended. Asked
	 * when a fenced append inserted nothing, to tell a refused batch from one stored
	 * before.
	 */
	@Query("select id from message where id = :messageId and status = 'STREAMING' and node_id = :node for update")
	List<Long> lockStreamingOn(long messageId, String node);

	/**
	 * A draining node lets go of a reply it could not finish in time, storing what only
	 * it knows (tokens so far, time to first token), so that another node takes it up.
	 */
	@Modifying
	@Query("""
			update message set node_id = null, input_tokens = :inputTokens, output_tokens = :outputTokens,
			       thought_tokens = :thoughtTokens, first_token_ms = :firstTokenMs
			 where id = :messageId and status = 'STREAMING' and node_id = :node""")
	int release(long messageId, String node, int inputTokens, int outputTokens, int thoughtTokens,
			@Nullable Integer firstTokenMs);

	/**
	 * {@link #finish} by the node generating the reply: refused once another node has
	 * claimed it (this node was taken for dead), so that a late node cannot end an answer
	 * that goes on elsewhere.
	 */
	@Modifying
	@Query("""
			update message set content = :content, thinking = :thinking, status = :status, error = :error,
			       finish_reason = :finishReason, input_tokens = :inputTokens, output_tokens = :outputTokens,
			       thought_tokens = :thoughtTokens, first_token_ms = :firstTokenMs, finished_at = :finishedAt,
			       streaming_pane = null
			 where id = :messageId and status = 'STREAMING' and node_id = :node""")
	int finishOn(long messageId, String node, String content, String thinking, String status, @Nullable String error,
			@Nullable String finishReason, int inputTokens, int outputTokens, int thoughtTokens,
			@Nullable Integer firstTokenMs, Instant finishedAt);

	/**
	 * A node starting again under the same name lets go of what its earlier run left
	 * streaming.
	 */
	@Modifying
	@Query("update message set node_id = null where status = 'STREAMING' and node_id = :node")
	int releaseAllOf(String node);

	/**
	 * Ends a reply in its own row; the status guard keeps a reply from being finished
	 * twice.
	 */
	@Modifying
	@Query("""
			update message set content = :content, thinking = :thinking, status = :status, error = :error,
			       finish_reason = :finishReason, input_tokens = :inputTokens, output_tokens = :outputTokens,
			       thought_tokens = :thoughtTokens, first_token_ms = :firstTokenMs, finished_at = :finishedAt,
			       streaming_pane = null
			 where id = :messageId and status = 'STREAMING'""")
	int finish(long messageId, String content, String thinking, String status, @Nullable String error,
			@Nullable String finishReason, int inputTokens, int outputTokens, int thoughtTokens,
			@Nullable Integer firstTokenMs, Instant finishedAt);

}
