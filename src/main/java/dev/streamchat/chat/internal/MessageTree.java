package dev.streamchat.chat.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The shape of a pane's conversation tree: who follows whom, which versions are chosen,
 * and the current path that follows the chosen version at every level. Only ids and flags
 * are read here, never text, so reshaping a conversation of thousands of messages stays
 * cheap.
 */
@Repository
public class MessageTree {

	/**
	 * One message's place in the tree.
	 *
	 * @param setAside a version not chosen among its siblings (column {@code replaced})
	 * @param offPath not on the current path, because it or a message before it is set
	 * aside (column {@code superseded})
	 */
	public record Link(long id, @Nullable Long parentId, String role, String status, boolean setAside,
			boolean offPath) {

		/**
		 * Children of no message (first prompts) are siblings of one another under this
		 * key.
		 */
		public long parentKey() {
			return parentId == null ? 0 : parentId;
		}
	}

	private final JdbcClient jdbc;

	MessageTree(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Every message of a pane, oldest first (a parent always precedes its children). */
	public List<Link> links(long paneId) {
		return jdbc.sql(
				"select id, parent_id, role, status, replaced as set_aside, superseded as off_path from message where pane_id = :pane order by id")
			.param("pane", paneId)
			.query(Link.class)
			.list();
	}

	public List<Link> linksOf(Collection<Long> ids) {
		return jdbc.sql(
				"select id, parent_id, role, status, replaced as set_aside, superseded as off_path from message where id in (:ids) order by id")
			.param("ids", ids)
			.query(Link.class)
			.list();
	}

	/**
	 * The last message of the current path: what a new prompt follows. Null in an empty
	 * pane.
	 */
	public @Nullable Long tail(long paneId) {
		return jdbc.sql("select max(id) from message where pane_id = :pane and superseded = false")
			.param("pane", paneId)
			.query(Long.class)
			.optional()
			.orElse(null);
	}

	/**
	 * Ids of the messages with one of these parents (0: no parent), oldest first, grouped
	 * by parent.
	 */
	public Map<Long, List<Long>> childrenOf(long paneId, Collection<Long> parentKeys) {
		Map<Long, List<Long>> byParent = new HashMap<>();
		List<Long> parents = parentKeys.stream().filter(k -> k != 0).toList();
		if (!parents.isEmpty()) {
			jdbc.sql("select id, parent_id from message where parent_id in (:parents) order by id")
				.param("parents", parents)
				.query((rs, n) -> byParent.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(rs.getLong(1)))
				.list();
		}
		if (parentKeys.contains(0L)) {
			byParent.put(0L,
					jdbc.sql("select id from message where pane_id = :pane and parent_id is null order by id")
						.param("pane", paneId)
						.query(Long.class)
						.list());
		}
		return byParent;
	}

	/**
	 * What deleting the exchange of {@code anyOf} means: the prompt it belongs to (or
	 * is), with its other versions and every answer to them, goes ({@code doomed}, oldest
	 * first); what followed the chosen answer to the chosen version stays ({@code kept})
	 * and is to follow {@code keptParent}, what came before the prompt. The branches that
	 * started at the prompt's other versions or answers go with it.
	 *
	 * @param streaming whether an answer among the doomed is still streaming
	 */
	public record Exchange(Set<Long> doomed, List<Long> kept, @Nullable Long keptParent, boolean streaming) {
	}

	public Exchange exchange(long paneId, long anyOf) {
		Map<Long, Link> byId = new HashMap<>();
		Map<Long, List<Link>> children = new HashMap<>();
		for (Link link : links(paneId)) {
			byId.put(link.id(), link);
			children.computeIfAbsent(link.parentKey(), k -> new ArrayList<>()).add(link);
		}
		// the caller found anyOf in this pane, and an answer's parent is a prompt of the
		// same pane
		Link target = Objects.requireNonNull(byId.get(anyOf), "no such message in the pane");
		Long parentId = target.parentId();
		Link prompt = target.role().equals(Role.USER.name()) || parentId == null ? target
				: Objects.requireNonNull(byId.get(parentId), "an answer's prompt is in its pane");
		List<Link> versions = children.getOrDefault(prompt.parentKey(), List.of())
			.stream()
			.filter(version -> version.role().equals(prompt.role()))
			.toList();
		// what the chosen answer to the chosen version led to stays in the conversation
		List<Long> kept = versions.stream()
			.filter(version -> !version.setAside())
			.findFirst()
			.flatMap(version -> children.getOrDefault(version.id(), List.of())
				.stream()
				.filter(answer -> !answer.setAside())
				.findFirst())
			.map(answer -> children.getOrDefault(answer.id(), List.of()).stream().map(Link::id).toList())
			.orElse(List.of());
		Set<Long> doomed = new TreeSet<>();
		ArrayDeque<Long> todo = new ArrayDeque<>();
		versions.forEach(version -> todo.add(version.id()));
		while (!todo.isEmpty()) {
			long id = todo.pop();
			if (!kept.contains(id) && doomed.add(id)) {
				children.getOrDefault(id, List.of()).forEach(child -> todo.add(child.id()));
			}
		}
		// every doomed id is a link of this pane
		boolean streaming = doomed.stream()
			.anyMatch(id -> Objects.requireNonNull(byId.get(id)).status().equals(MessageStatus.STREAMING.name()));
		return new Exchange(doomed, kept, prompt.parentId(), streaming);
	}

	/**
	 * Makes {@code version} the chosen one among its siblings (the others are set aside,
	 * with whatever followed each of them) and stores the current path that results.
	 */
	public void choose(long paneId, long version) {
		Link chosen = linksOf(List.of(version)).getFirst();
		List<Long> siblings = childrenOf(paneId, List.of(chosen.parentKey())).getOrDefault(chosen.parentKey(),
				List.of());
		setAside(siblings.stream().filter(id -> id != version).toList(), true);
		setAside(List.of(version), false);
		storePath(paneId);
	}

	private void setAside(Collection<Long> ids, boolean setAside) {
		if (!ids.isEmpty()) {
			jdbc.sql("update message set replaced = :setAside where id in (:ids)")
				.param("setAside", setAside)
				.param("ids", ids)
				.update();
		}
	}

	public void setParent(Collection<Long> ids, @Nullable Long parentId) {
		if (!ids.isEmpty()) {
			jdbc.sql("update message set parent_id = :parent where id in (:ids)")
				.param("parent", parentId)
				.param("ids", ids)
				.update();
		}
	}

	/**
	 * Recomputes the current path from the chosen versions and stores it: a message is on
	 * it when it is chosen and so is everything before it. Only the messages whose place
	 * changed are written.
	 */
	public void storePath(long paneId) {
		Map<Long, Boolean> onPath = new HashMap<>();
		List<Long> show = new ArrayList<>();
		List<Long> hide = new ArrayList<>();
		for (Link link : links(paneId)) {
			boolean visible = !link.setAside()
					&& (link.parentId() == null || onPath.getOrDefault(link.parentId(), false));
			onPath.put(link.id(), visible);
			if (visible == link.offPath()) {
				(visible ? show : hide).add(link.id());
			}
		}
		if (!show.isEmpty()) {
			jdbc.sql("update message set superseded = false where id in (:ids)").param("ids", show).update();
		}
		if (!hide.isEmpty()) {
			jdbc.sql("update message set superseded = true where id in (:ids)").param("ids", hide).update();
		}
	}

}
