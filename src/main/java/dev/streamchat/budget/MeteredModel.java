package dev.streamchat.budget;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.ToolResult;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one way to the model for a user's requests, answers and the app's side requests
 * (titles) alike: before every request (a stream's first round, each tool round, each
 * retry) the user's token budgets are checked, and a spent one fails the request with
 * {@link ModelException.Kind#BUDGET_SPENT} before anything is sent; after each round its
 * tokens are added to the user's usage (once per round, not per chunk).
 */
@Component
public class MeteredModel {

	private static final Logger log = LoggerFactory.getLogger(MeteredModel.class);

	private final ChatModel model;

	private final Budgets budgets;

	private final UsageLedger ledger;

	MeteredModel(ChatModel model, Budgets budgets, UsageLedger ledger) {
		this.model = model;
		this.budgets = budgets;
		this.ledger = ledger;
	}

	/** The model as seen by one user's requests of one kind. */
	public ChatModel forUser(UserId user, UsageKind kind) {
		return request -> {
			check(user);
			return new Metered(model.stream(request), user, kind, request.model());
		};
	}

	/**
	 * As {@link #forUser} for a reply, whose first request was admitted by
	 * {@link Budgets#checkPrompt} just before in the same transaction, tokens included:
	 * that request goes out without a second look at the database (it is on the way to
	 * the first token); every later one (a retry, a tool round) is checked as usual.
	 */
	public ChatModel forAdmittedReply(UserId user) {
		AtomicBoolean admitted = new AtomicBoolean(true);
		return request -> {
			if (!admitted.getAndSet(false)) {
				check(user);
			}
			return new Metered(model.stream(request), user, UsageKind.REPLY, request.model());
		};
	}

	private void check(UserId user) {
		try {
			budgets.checkTokens(user);
		}
		catch (BudgetExceededException spent) {
			throw new ModelException(ModelException.Kind.BUDGET_SPENT, String.valueOf(spent.getMessage()));
		}
	}

	private final class Metered implements ModelStream {

		private final ModelStream stream;

		private final UserId user;

		private final UsageKind kind;

		private final String modelName;

		/**
		 * The round's request went out (its first chunk was asked for) and is not counted
		 * yet.
		 */
		private boolean roundOpen;

		/** The round has been counted: further calls of next() are no new request. */
		private boolean roundCounted;

		/**
		 * The latest token counts of the round (a model may report them on several
		 * chunks).
		 */
		private ModelChunk.@Nullable TokenCounts counts;

		Metered(ModelStream stream, UserId user, UsageKind kind, String modelName) {
			this.stream = stream;
			this.user = user;
			this.kind = kind;
			this.modelName = modelName;
		}

		@Override
		public @Nullable ModelChunk next() {
			if (!roundCounted) {
				roundOpen = true;
			}
			ModelChunk chunk;
			try {
				chunk = stream.next();
			}
			catch (RuntimeException e) {
				settle();
				throw e;
			}
			if (chunk == null) {
				settle();
			}
			else if (chunk.usage() != null) {
				counts = chunk.usage();
			}
			return chunk;
		}

		@Override
		public void continueWith(List<ToolResult> results) {
			settle();
			// the next round is a request of its own
			check(user);
			counts = null;
			roundCounted = false;
			stream.continueWith(results);
		}

		@Override
		public void cancel() {
			stream.cancel();
		}

		@Override
		public void close() {
			settle();
			stream.close();
		}

		/** Counts the round once, with whatever tokens the model reported for it. */
		private void settle() {
			if (!roundOpen) {
				return;
			}
			roundOpen = false;
			roundCounted = true;
			try {
				ledger.record(user, modelName, kind, counts);
			}
			catch (RuntimeException e) {
				// the answer matters more than its bookkeeping; the log says what was not
				// counted
				log.warn("Could not count {} tokens of user {} ({})", kind, user, e.toString());
			}
		}

	}

}
