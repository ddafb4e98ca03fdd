package dev.streamchat.admin;

import dev.streamchat.admin.AuditLog.Action;
import dev.streamchat.budget.Budgets;
import dev.streamchat.budget.Limits;
import dev.streamchat.security.AccountRejectedException;
import dev.streamchat.security.AccountRole;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserAccounts.Account;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one front door for what admins do to accounts and budgets. Each action checks, from
 * the database, that the actor is an enabled admin (the view's route guard is not the
 * only one), and is written to the {@link AuditLog} in the same transaction: an action is
 * recorded exactly when it happened.
 */
@Service
public class AdminActions {

	private final UserAccounts accounts;

	private final Budgets budgets;

	private final AuditLog audit;

	AdminActions(UserAccounts accounts, Budgets budgets, AuditLog audit) {
		this.accounts = accounts;
		this.budgets = budgets;
		this.audit = audit;
	}

	/** Creates an account (password rules as at sign-up). */
	@Transactional
	public UserId createUser(UserId actor, String username, String password, AccountRole role) {
		Account admin = admin(actor);
		UserId created = accounts.create(username, password, role);
		audit.record(admin.username(), Action.CREATE_USER, username.strip(), "role " + role);
		return created;
	}

	/** Disables or enables an account; an admin cannot disable their own account. */
	@Transactional
	public void setEnabled(UserId actor, UserId target, boolean enabled) {
		Account admin = admin(actor);
		if (!enabled && actor.equals(target)) {
			throw new AccountRejectedException("You cannot disable your own account.");
		}
		Account account = target(target);
		accounts.setEnabled(target, enabled);
		audit.record(admin.username(), enabled ? Action.ENABLE_USER : Action.DISABLE_USER, account.username(), null);
	}

	/**
	 * Sets a new password for an account; the audit says that it happened, never what it
	 * is.
	 */
	@Transactional
	public void resetPassword(UserId actor, UserId target, String password) {
		Account admin = admin(actor);
		Account account = target(target);
		accounts.resetPassword(target, password);
		audit.record(admin.username(), Action.RESET_PASSWORD, account.username(), null);
	}

	@Transactional
	public void changeRole(UserId actor, UserId target, AccountRole role) {
		Account admin = admin(actor);
		Account account = target(target);
		accounts.changeRole(target, role);
		audit.record(admin.username(), Action.CHANGE_ROLE, account.username(), account.role() + " → " + role);
	}

	/** Overrides the budget defaults for one user (a null value: the default). */
	@Transactional
	public void setBudget(UserId actor, UserId target, Limits.Overrides overrides) {
		Account admin = admin(actor);
		Account account = target(target);
		budgets.setOverrides(target, overrides);
		audit.record(admin.username(), Action.SET_BUDGET, account.username(),
				"daily " + text(overrides.dailyTokens()) + ", monthly " + text(overrides.monthlyTokens()) + ", streams "
						+ text(overrides.concurrentStreams()) + ", per minute " + text(overrides.promptsPerMinute()));
	}

	private static String text(@Nullable Number value) {
		return value == null ? "default" : value.toString();
	}

	private Account admin(UserId actor) {
		return accounts.account(actor)
			.filter(a -> a.enabled() && a.role() == AccountRole.ADMIN)
			.orElseThrow(() -> new AccessDeniedException("only an admin may do this"));
	}

	private Account target(UserId target) {
		return accounts.account(target).orElseThrow(() -> new AccountRejectedException("No such account."));
	}

}
