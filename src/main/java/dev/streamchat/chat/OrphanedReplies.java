package dev.streamchat.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.streamchat.chat.internal.ConversationRepository;
import dev.streamchat.chat.internal.ConversationRow;
import dev.streamchat.chat.internal.MessageMapper;
import dev.streamchat.chat.internal.MessageRecord;
import dev.streamchat.chat.internal.MessageRepository;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The replies that nobody will finish any more, because the node generating them went
 * away (a restart, a crash, a lease run out) or let go of them while draining: found by
 * whose node is dead, then taken over by a live node ({@link #claim}) or ended as
 * interrupted with the text they had stored. Which node holds a reply is decided in the
 * database (a compare-and-set on its node), so two nodes never both take one. Its callers
 * are the streaming module's.
 */
@Service
public class OrphanedReplies {

	private final MessageRepository messages;

	private final MessageMapper mapper;

	private final ConversationRepository conversationRows;

	private final ReplyWriter writer;

	OrphanedReplies(MessageRepository messages, MessageMapper mapper, ConversationRepository conversationRows,
			ReplyWriter writer) {
		this.messages = messages;
		this.mapper = mapper;
		this.conversationRows = conversationRows;
		this.writer = writer;
	}

	/**
	 * A node that starts again under the same name lets go of the replies its earlier run
	 * left streaming (it crashed), so that they are taken up like any other orphan.
	 */
	@Transactional
	public int releaseRepliesOf(String node) {
		return messages.releaseAllOf(node);
	}

	/**
	 * A reply left streaming by a node that went away, or let go of by a draining one
	 * ({@code node} null), with whose it is.
	 */
	public record Orphan(MessageId reply, UserId owner, @Nullable String node, int seams) {
	}

	/**
	 * The replies still streaming on a node that is neither {@code self} nor has renewed
	 * its lease since {@code liveSince} (by the database's clock), and those of no node.
	 * Reads only: a node takes one up with {@link #claim} or ends it with
	 * {@link #interrupt(List, String)}.
	 */
	@Transactional(readOnly = true)
	public List<Orphan> orphansNotOn(String self, Instant liveSince) {
		List<Orphan> orphans = new ArrayList<>();
		for (MessageRecord row : messages.findStreamingOfDeadNodes(self, liveSince)) {
			conversationRows.findById(row.paneId())
				.map(ConversationRow::ownerId)
				.ifPresent(owner -> orphans.add(new Orphan(new MessageId(row.storedId()), new UserId(owner),
						row.nodeId(), ChatMessage.parseSeams(row.seams()).size())));
		}
		return orphans;
	}

	/**
	 * Takes an orphan over for node {@code self}: a compare-and-set on the node it was
	 * left by, so that of several nodes trying at once exactly one wins; the seam (the
	 * answer's stored length) is recorded in the same statement.
	 * @return the reply as this node now holds it (stored text, thinking, parts, seams);
	 * empty when another node was quicker or the reply ended meanwhile
	 */
	@Transactional
	public Optional<ChatMessage> claim(Orphan orphan, String self) {
		Optional<MessageRecord> found = messages.findById(orphan.reply().value())
			.filter(row -> MessageStatus.STREAMING.name().equals(row.status()));
		if (found.isEmpty()) {
			return Optional.empty();
		}
		// the node it was orphaned by, as seen then: a node that took it meanwhile makes
		// this claim fail
		String previous = orphan.node() == null ? "" : orphan.node();
		if (messages.claim(found.get().storedId(), self, previous) != 1) {
			return Optional.empty();
		}
		// measured only now that the row is ours and locked: an append of the old node
		// committed before the claim is part of it, any later one is refused (fenced)
		MessageRecord row = messages.findById(found.get().storedId()).orElseThrow();
		int at = mapper.storedText(row).length();
		List<Integer> seams = new ArrayList<>(ChatMessage.parseSeams(row.seams()));
		// taken up twice at the same place (nothing came in between): one seam
		if (seams.isEmpty() || seams.getLast() != at) {
			seams.add(at);
		}
		messages.saveSeams(row.storedId(), String.join(",", seams.stream().map(String::valueOf).toList()));
		return messages.findById(row.storedId()).map(mapper::toMessage);
	}

	/**
	 * Ends orphans as {@link MessageStatus#INTERRUPTED} with their stored text; returns
	 * those ended here.
	 */
	@Transactional
	public List<ChatMessage> interrupt(List<Orphan> orphans, String reason) {
		return interruptRows(messages.findAllById(orphans.stream().map(o -> o.reply().value()).toList())
			.stream()
			.filter(row -> MessageStatus.STREAMING.name().equals(row.status()))
			.toList(), reason);
	}

	/**
	 * Ends every reply left streaming by a generation that no longer exists (the server
	 * stopped mid-answer) as {@link MessageStatus#INTERRUPTED}, keeping the text it had
	 * stored.
	 */
	@Transactional
	public List<MessageId> interruptOrphans(String reason) {
		return interruptRows(messages.findByStatus(MessageStatus.STREAMING.name()), reason).stream()
			.map(ChatMessage::id)
			.toList();
	}

	/**
	 * Ends as {@link MessageStatus#INTERRUPTED}, with the text they had stored, the
	 * replies still streaming on a node that is neither {@code self} nor has renewed its
	 * lease since {@code liveSince} (by the database's clock), and those of no known
	 * node. One query decides, so a node that registers meanwhile cannot lose a reply it
	 * just started.
	 * @return the replies ended here (not those another node ended first)
	 */
	@Transactional
	public List<ChatMessage> interruptRepliesNotOn(String self, Instant liveSince, String reason) {
		return interruptRows(messages.findStreamingOfDeadNodes(self, liveSince), reason);
	}

	/**
	 * Ends the replies left streaming by an earlier run of this very node (same node id).
	 */
	@Transactional
	public List<ChatMessage> interruptRepliesOf(String node, String reason) {
		return interruptRows(messages.findByStatusAndNodeId(MessageStatus.STREAMING.name(), node), reason);
	}

	private List<ChatMessage> interruptRows(List<MessageRecord> streaming, String reason) {
		List<ChatMessage> ended = new ArrayList<>();
		for (MessageRecord row : streaming) {
			MessageId id = new MessageId(row.storedId());
			// a tool that was running when the server went away will never finish
			List<ToolPart> stale = mapper.partsByMessage(List.of(row))
				.getOrDefault(row.storedId(), List.of())
				.stream()
				.map(p -> p.status().isFinal() ? p : p.failed("interrupted by a server restart"))
				.toList();
			if (writer.finish(id, mapper.storedText(row), mapper.storedThinking(row), stale,
					new Outcome(MessageStatus.INTERRUPTED, reason, null, Usage.NONE))) {
				messages.findById(row.storedId()).map(mapper::toMessage).ifPresent(ended::add);
			}
		}
		return ended;
	}

}
