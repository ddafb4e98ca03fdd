package dev.streamchat.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import dev.streamchat.chat.Messages;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each user's budgets: the chat.budget.* defaults with an admin's overrides, checked
 * through the shared database, so that they hold on every node together.
 * {@link #admitPrompt} admits a prompt (rate, answers streaming, tokens) under the user's
 * row lock; {@link #checkTokens} runs before every upstream request (see
 * {@link MeteredModel}). A refusal says what is left and when it resets.
 */
@Service
public class Budgets {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private final JdbcClient jdbc;

	private final BudgetProperties properties;

	private final UsageLedger ledger;

	private final UserAccounts accounts;

	private final Messages messages;

	private final Clock clock;

	Budgets(JdbcClient jdbc, BudgetProperties properties, UsageLedger ledger, UserAccounts accounts,
			Messages messages) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.ledger = ledger;
		this.accounts = accounts;
		this.messages = messages;
		this.clock = Clock.system(properties.zone());
	}

	/** The defaults (chat.budget.*). */
	public Limits defaults() {
		return properties.limits();
	}

	/** The limits in force for the user: the defaults, with an admin's overrides. */
	public Limits limitsOf(UserId user) {
		return defaults().with(overridesOf(user));
	}

	public Limits.Overrides overridesOf(UserId user) {
		return jdbc.sql("""
				select daily_tokens, monthly_tokens, concurrent_streams, prompts_per_minute
				  from user_budget where user_id = :user""")
			.param("user", user.value())
			.query((rs, n) -> new Limits.Overrides(rs.getObject("daily_tokens", Long.class),
					rs.getObject("monthly_tokens", Long.class), rs.getObject("concurrent_streams", Integer.class),
					rs.getObject("prompts_per_minute", Integer.class)))
			.optional()
			.orElse(Limits.Overrides.NONE);
	}

	/** Stores an admin's overrides for the user (all null: the defaults again). */
	@Transactional
	public void setOverrides(UserId user, Limits.Overrides overrides) {
		jdbc.sql("delete from user_budget where user_id = :user").param("user", user.value()).update();
		if (!overrides.equals(Limits.Overrides.NONE)) {
			jdbc.sql(
					"""
							insert into user_budget (user_id, daily_tokens, monthly_tokens, concurrent_streams, prompts_per_minute)
							values (:user, :daily, :monthly, :streams, :rate)""")
				.param("user", user.value())
				.param("daily", overrides.dailyTokens())
				.param("monthly", overrides.monthlyTokens())
				.param("streams", overrides.concurrentStreams())
				.param("rate", overrides.promptsPerMinute())
				.update();
		}
	}

	/**
	 * Admits a prompt of the user's and counts it against the rate, or refuses it before
	 * anything is stored or sent: {@link #checkPrompt} and {@link #countPrompt} in one.
	 * @throws BudgetExceededException as {@link #checkPrompt}
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void admitPrompt(UserId user) {
		countPrompt(checkPrompt(user));
	}

	/**
	 * Admits a prompt of the user's, or refuses it before anything is stored or sent. It
	 * only reads (the account, the limits, the last minute's prompts, the answers
	 * streaming, the tokens spent), so the model request can go out right after it;
	 * {@link #countPrompt} then counts the prompt in the same transaction, which must
	 * also store the new reply: the user's row stays locked until it commits, so two
	 * nodes admitting prompts of one user at once count each other's.
	 * @return what {@link #countPrompt} needs
	 * @throws BudgetExceededException when the account is disabled, the user sent too
	 * many prompts in the last minute, has too many answers streaming, or has spent a
	 * token budget
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public AdmittedPrompt checkPrompt(UserId user) {
		if (!accounts.lockEnabled(user)) {
			throw new BudgetExceededException("This account is disabled: ask an administrator.");
		}
		Limits limits = limitsOf(user);
		if (limits.promptsPerMinute() > 0) {
			// the database's clock, the same for every node
			List<OffsetDateTime> recent = jdbc.sql("""
					select sent_at from prompt_log
					 where user_id = :user and sent_at > current_timestamp - interval '1' minute
					 order by sent_at""").param("user", user.value()).query(OffsetDateTime.class).list();
			if (recent.size() >= limits.promptsPerMinute()) {
				Duration wait = Duration.between(databaseNow(), recent.getFirst().toInstant().plus(MINUTE));
				throw new BudgetExceededException("Too many messages: at most %d a minute. Try again in %d s."
					.formatted(limits.promptsPerMinute(), Math.max(1, (wait.toMillis() + 999) / 1000)));
			}
		}
		if (limits.concurrentStreams() > 0 && messages.streamingReplies(user) >= limits.concurrentStreams()) {
			throw new BudgetExceededException(
					limits.concurrentStreams() == 1 ? "You have 1 answer streaming already; wait for it to finish."
							: "You have %d answers streaming already; wait for one to finish."
								.formatted(limits.concurrentStreams()));
		}
		checkTokens(user, limits);
		return new AdmittedPrompt(user, limits.promptsPerMinute() > 0);
	}

	/**
	 * Counts a prompt {@link #checkPrompt} admitted against the user's rate, in the
	 * transaction that admitted it (and forgets the user's prompts older than a minute).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void countPrompt(AdmittedPrompt admitted) {
		if (!admitted.rateLimited()) {
			return;
		}
		jdbc.sql("delete from prompt_log where user_id = :user and sent_at <= current_timestamp - interval '1' minute")
			.param("user", admitted.user().value())
			.update();
		jdbc.sql("insert into prompt_log (user_id, sent_at) values (:user, current_timestamp)")
			.param("user", admitted.user().value())
			.update();
	}

	/**
	 * A prompt {@link #checkPrompt} admitted, to be counted by {@link #countPrompt}.
	 *
	 * @param rateLimited whether the user has a prompts-per-minute limit to count it
	 * against
	 */
	public record AdmittedPrompt(UserId user, boolean rateLimited) {
	}

	/**
	 * Refuses an upstream request of the user's when their daily or monthly token budget
	 * is spent.
	 * @throws BudgetExceededException saying what is left and when it resets
	 */
	public void checkTokens(UserId user) {
		checkTokens(user, limitsOf(user));
	}

	private void checkTokens(UserId user, Limits limits) {
		if (limits.dailyTokens() <= 0 && limits.monthlyTokens() <= 0) {
			return;
		}
		UsageLedger.Spent spent = ledger.spent(user);
		ZonedDateTime now = ZonedDateTime.now(clock);
		if (limits.dailyTokens() > 0 && spent.today() >= limits.dailyTokens()) {
			ZonedDateTime reset = now.toLocalDate().plusDays(1).atStartOfDay(now.getZone());
			throw new BudgetExceededException(
					"Your daily token budget is spent: 0 of %s tokens left today%s. It resets at %s, in %s.".formatted(
							number(limits.dailyTokens()), monthLeft(limits, spent),
							reset.format(DateTimeFormatter.ofPattern("HH:mm zzz", Locale.ENGLISH)), until(now, reset)));
		}
		if (limits.monthlyTokens() > 0 && spent.month() >= limits.monthlyTokens()) {
			LocalDate first = now.toLocalDate().withDayOfMonth(1).plusMonths(1);
			ZonedDateTime reset = first.atStartOfDay(now.getZone());
			throw new BudgetExceededException(
					"Your monthly token budget is spent: 0 of %s tokens left this month. It resets on %s, in %s."
						.formatted(number(limits.monthlyTokens()),
								reset.format(DateTimeFormatter.ofPattern("d MMMM HH:mm zzz", Locale.ENGLISH)),
								until(now, reset)));
		}
	}

	/**
	 * What the user has left of each token budget (null: no limit), for showing before it
	 * runs out.
	 */
	public Left left(UserId user) {
		Limits limits = limitsOf(user);
		UsageLedger.Spent spent = ledger.spent(user);
		return new Left(limits.dailyTokens() > 0 ? Math.max(0, limits.dailyTokens() - spent.today()) : null,
				limits.monthlyTokens() > 0 ? Math.max(0, limits.monthlyTokens() - spent.month()) : null);
	}

	/** Tokens left today and this month; null where there is no limit. */
	public record Left(@Nullable Long today, @Nullable Long month) {
	}

	private static String monthLeft(Limits limits, UsageLedger.Spent spent) {
		return limits.monthlyTokens() > 0 ? " (%s of %s left this month)".formatted(
				number(Math.max(0, limits.monthlyTokens() - spent.month())), number(limits.monthlyTokens())) : "";
	}

	/** A count as people read it: 1,000,000. */
	public static String number(long n) {
		return String.format(Locale.ENGLISH, "%,d", n);
	}

	/** "3 h 12 min", "12 min", "4 days 3 h". */
	static String until(ZonedDateTime now, ZonedDateTime then) {
		long minutes = Math.max(1, (Duration.between(now, then).toSeconds() + 59) / 60);
		long days = minutes / (24 * 60);
		long hours = minutes / 60 % 24;
		long mins = minutes % 60;
		if (days > 0) {
			return days + (days == 1 ? " day" : " days") + (hours > 0 ? " " + hours + " h" : "");
		}
		return hours > 0 ? hours + " h " + mins + " min" : mins + " min";
	}

	private Instant databaseNow() {
		return jdbc.sql("select current_timestamp").query(OffsetDateTime.class).single().toInstant();
	}

}
