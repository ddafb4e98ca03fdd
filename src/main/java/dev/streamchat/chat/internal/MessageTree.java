package dev.streamchat.chat.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The shape of a pane's conversation tree: who follows whom, which versions are chosen, and the
 * current path that follows the chosen version at every level. Only ids and flags are read here,
 * never text, so reshaping a conversation of thousands of messages stays cheap.
 */
@Repository
public class MessageTree {

    /** One message's place in the tree. */
    public record Link(long id, Long parentId, String role, String status, boolean replaced, boolean superseded) {

        /** Children of no message (first prompts) are siblings of one another under this key. */
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
        return jdbc.sql("select id, parent_id, role, status, replaced, superseded from message where pane_id = :pane order by id")
                .param("pane", paneId).query(Link.class).list();
    }

    public List<Link> linksOf(Collection<Long> ids) {
        return jdbc.sql("select id, parent_id, role, status, replaced, superseded from message where id in (:ids) order by id")
                .param("ids", ids).query(Link.class).list();
    }

    /** The last message of the current path: what a new prompt follows. Null in an empty pane. */
    public Long tail(long paneId) {
        return jdbc.sql("select max(id) from message where pane_id = :pane and superseded = false")
                .param("pane", paneId).query(Long.class).optional().orElse(null);
    }

    /** Ids of the messages with one of these parents (0: no parent), oldest first, grouped by parent. */
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
            byParent.put(0L, jdbc.sql("select id from message where pane_id = :pane and parent_id is null order by id")
                    .param("pane", paneId).query(Long.class).list());
        }
        return byParent;
    }

    public void setReplaced(Collection<Long> ids, boolean replaced) {
        if (!ids.isEmpty()) {
            jdbc.sql("update message set replaced = :replaced where id in (:ids)")
                    .param("replaced", replaced).param("ids", ids).update();
        }
    }

    public void setParent(Collection<Long> ids, Long parentId) {
        if (!ids.isEmpty()) {
            jdbc.sql("update message set parent_id = :parent where id in (:ids)")
                    .param("parent", parentId).param("ids", ids).update();
        }
    }

    /**
     * Recomputes the current path from the chosen versions and stores it: a message is on it when
     * it is chosen and so is everything before it. Only the messages whose place changed are written.
     */
    public void storePath(long paneId) {
        Map<Long, Boolean> onPath = new HashMap<>();
        List<Long> show = new ArrayList<>();
        List<Long> hide = new ArrayList<>();
        for (Link link : links(paneId)) {
            boolean visible = !link.replaced() && (link.parentId() == null || onPath.getOrDefault(link.parentId(), false));
            onPath.put(link.id(), visible);
            if (visible == link.superseded()) {
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
