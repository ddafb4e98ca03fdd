package dev.streamchat.ui;

import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.MessageId;
import org.jspecify.annotations.Nullable;

/**
 * Runs the actions of the rows a pane shows for the pane's owner: a header button named
 * by the browser (copy, edit, regenerate, delete, a version switch) and the Retry that
 * the latest answer offers when it did not complete.
 */
final class RowActions {

	private final Conversation pane;

	private final ChatPaneContext context;

	private final PaneRows rows;

	private final Refusals refusals;

	/** The row whose Retry action is offered, if any. */
	private @Nullable MessageRow retryOfferedBy;

	RowActions(Conversation pane, ChatPaneContext context, PaneRows rows, Refusals refusals) {
		this.pane = pane;
		this.context = context;
		this.rows = rows;
		this.refusals = refusals;
	}

	/**
	 * A button of a message's header was clicked: only a button that a row this pane
	 * shows offers acts.
	 */
	void run(String messageId, String action) {
		MessageRow row;
		try {
			row = rows.get(new MessageId(Long.parseLong(messageId)));
		}
		catch (NumberFormatException notAnId) {
			return;
		}
		MessageAction named = MessageAction.named(action).orElse(null);
		if (row != null && named != null && row.offers(named)) {
			run(named, row);
		}
	}

	private void run(MessageAction action, MessageRow row) {
		MessageId id = row.messageId();
		switch (action) {
			case EDIT -> context.messages()
				.message(pane.owner(), id)
				.ifPresent(m -> rows.withComponents(row)
					.openEditor(m.text(),
							text -> refusals.attempt(() -> context.streaming().edit(pane.owner(), id, text))));
			case REGENERATE -> refusals.attempt(() -> context.streaming().regenerate(pane.owner(), id));
			// the answer as markdown, read when asked for rather than kept in every row
			case COPY -> context.messages().message(pane.owner(), id).ifPresent(m -> row.copyToClipboard(m.text()));
			// the browser asks once more before it calls this (frontend/actions.js):
			// deleting cannot be undone
			case DELETE -> refusals.attempt(() -> context.edits().deleteExchange(pane.owner(), id));
			// switching changes the conversation in every view of the pane
			case PREVIOUS_VERSION -> switchTo(row.previousVersion());
			case NEXT_VERSION -> switchTo(row.nextVersion());
		}
	}

	private void switchTo(@Nullable MessageId version) {
		if (version != null) {
			refusals.attempt(() -> context.edits().chooseVersion(pane.owner(), version));
		}
	}

	/** The rows were all replaced: no row offers Retry until the next offer. */
	void forgetRetry() {
		retryOfferedBy = null;
	}

	/**
	 * Retry belongs to the latest answer only, when it did not complete: the conversation
	 * goes on from there.
	 */
	void offerRetryOnLatest() {
		MessageRow latest = rows.latest();
		if (retryOfferedBy != null && retryOfferedBy != latest) {
			retryOfferedBy.withdrawRetry();
		}
		retryOfferedBy = null;
		if (latest != null && latest.isRetryable()) {
			MessageRow offering = rows.withComponents(latest);
			MessageId id = offering.messageId();
			offering.offerRetry(() -> refusals.attempt(() -> context.streaming().retry(pane.owner(), id)));
			retryOfferedBy = offering;
		}
	}

}
