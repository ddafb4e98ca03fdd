package dev.streamchat.ui;

import java.util.LinkedHashMap;
import java.util.SequencedMap;

import com.vaadin.flow.component.html.Div;
import dev.streamchat.chat.MessageId;
import org.jspecify.annotations.Nullable;

/**
 * The message rows a pane shows, oldest first and by message id, kept in step with the
 * list element that shows them.
 */
final class PaneRows {

	private final SequencedMap<MessageId, MessageRow> rows = new LinkedHashMap<>();

	private final Div list = new Div();

	PaneRows() {
		list.addClassName("message-list");
	}

	/** The element the rows are in. */
	Div list() {
		return list;
	}

	void clear() {
		rows.clear();
		list.removeAll();
	}

	boolean isEmpty() {
		return rows.isEmpty();
	}

	boolean contains(MessageId id) {
		return rows.containsKey(id);
	}

	@Nullable MessageRow get(MessageId id) {
		return rows.get(id);
	}

	/** The oldest message shown, or null when none is. */
	@Nullable MessageRow oldest() {
		return rows.isEmpty() ? null : rows.firstEntry().getValue();
	}

	/** The latest message shown, or null when none is. */
	@Nullable MessageRow latest() {
		return rows.isEmpty() ? null : rows.lastEntry().getValue();
	}

	/** {@code row} below the others. */
	void addLast(MessageRow row) {
		rows.put(row.messageId(), row);
		list.add(row);
	}

	/** {@code row} above the others (an older message). */
	void addFirst(MessageRow row) {
		rows.putFirst(row.messageId(), row);
		list.addComponentAsFirst(row);
	}

	/**
	 * @return the row removed, or null when the message was not shown
	 */
	@Nullable MessageRow remove(MessageId id) {
		MessageRow gone = rows.remove(id);
		if (gone != null) {
			list.remove(gone);
		}
		return gone;
	}

	/**
	 * {@code row}, able to take components: a settled row's markup is its element's own,
	 * so the row is made again with its markup in a child, in the same place.
	 */
	MessageRow withComponents(MessageRow row) {
		if (!row.isMarkupOnly()) {
			return row;
		}
		MessageRow made = row.withComponents();
		list.replace(row, made);
		rows.replace(row.messageId(), made);
		return made;
	}

}
