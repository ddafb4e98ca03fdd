package dev.streamchat.budget;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

import dev.streamchat.model.ModelChunk;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Tokens spent, per user, day, model and kind (table usage_day): what budgets are checked
 * against on every node and what the admin view reports. One row per key, added to once
 * per request, so a check reads a month of rows at most, never the messages.
 */
@Service
public class UsageLedger {

	private final JdbcClient jdbc;

	private final Clock clock;

	UsageLedger(JdbcClient jdbc, BudgetProperties properties) {
		this.jdbc = jdbc;
		this.clock = Clock.system(properties.zone());
	}

	/**
	 * One request's tokens (zero when the model reported none), counted on today's row.
	 */
	public void record(UserId user, String model, UsageKind kind, ModelChunk.@Nullable TokenCounts tokens) {
		LocalDate today = LocalDate.now(clock);
		ModelChunk.TokenCounts t = tokens == null ? new ModelChunk.TokenCounts(0, 0, 0) : tokens;
		if (add(user, today, model, kind, t) == 0) {
			try {
				jdbc.sql("""
						insert into usage_day (user_id, usage_date, model, kind, requests, input_tokens, output_tokens,
						                       thought_tokens)
						values (:user, :day, :model, :kind, 1, :input, :output, :thoughts)""")
					.param("user", user.value())
					.param("day", today)
					.param("model", model)
					.param("kind", kind.name())
					.param("input", t.input())
					.param("output", t.output())
					.param("thoughts", t.thoughts())
					.update();
			}
			catch (DuplicateKeyException raced) {
				// another node (or thread) made today's row meanwhile: add to it
				add(user, today, model, kind, t);
			}
		}
	}

	private int add(UserId user, LocalDate day, String model, UsageKind kind, ModelChunk.TokenCounts t) {
		return jdbc.sql("""
				update usage_day set requests = requests + 1, input_tokens = input_tokens + :input,
				       output_tokens = output_tokens + :output, thought_tokens = thought_tokens + :thoughts
				 where user_id = :user and usage_date = :day and model = :model and kind = :kind""")
			.param("user", user.value())
			.param("day", day)
			.param("model", model)
			.param("kind", kind.name())
			.param("input", t.input())
			.param("output", t.output())
			.param("thoughts", t.thoughts())
			.update();
	}

	/** Tokens (input + output + thinking) the user spent today and this month so far. */
	public Spent spent(UserId user) {
		LocalDate today = LocalDate.now(clock);
		return jdbc
			.sql("""
					select coalesce(sum(case when usage_date = :today
					                         then input_tokens + output_tokens + thought_tokens else 0 end), 0) as spent_today,
					       coalesce(sum(input_tokens + output_tokens + thought_tokens), 0) as spent_month
					  from usage_day where user_id = :user and usage_date >= :first and usage_date <= :today""")
			.param("user", user.value())
			.param("today", today)
			.param("first", today.withDayOfMonth(1))
			.query((rs, n) -> new Spent(rs.getLong("spent_today"), rs.getLong("spent_month")))
			.single();
	}

	/** Every row from {@code from} to {@code to} (inclusive), latest day first. */
	public List<Row> report(LocalDate from, LocalDate to) {
		return jdbc.sql("""
				select user_id, usage_date, model, kind, requests, input_tokens, output_tokens, thought_tokens
				  from usage_day where usage_date >= :from and usage_date <= :to
				 order by usage_date desc, user_id, model, kind""")
			.param("from", from)
			.param("to", to)
			.query((rs, n) -> new Row(new UserId(rs.getLong("user_id")), rs.getObject("usage_date", LocalDate.class),
					rs.getString("model"), UsageKind.valueOf(rs.getString("kind")), rs.getInt("requests"),
					rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("thought_tokens")))
			.list();
	}

	/** Today, in the budgets' zone. */
	public LocalDate today() {
		return LocalDate.now(clock);
	}

	public record Spent(long today, long month) {
	}

	/** One user's requests of one kind to one model on one day. */
	public record Row(UserId user, LocalDate day, String model, UsageKind kind, int requests, long inputTokens,
			long outputTokens, long thoughtTokens) {

		public long total() {
			return inputTokens + outputTokens + thoughtTokens;
		}
	}

}
