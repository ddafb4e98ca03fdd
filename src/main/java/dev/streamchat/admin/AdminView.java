package dev.streamchat.admin;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.streamchat.budget.Budgets;
import dev.streamchat.budget.Limits;
import dev.streamchat.budget.UsageLedger;
import dev.streamchat.security.AccountRejectedException;
import dev.streamchat.security.AccountRole;
import dev.streamchat.security.CurrentUser;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserAccounts.Account;
import dev.streamchat.security.UserId;
import jakarta.annotation.security.RolesAllowed;
import org.jspecify.annotations.Nullable;

/**
 * For admins only (the router refuses anyone else before this view is built, and every
 * action checks again in {@link AdminActions}): accounts (create, disable, reset
 * password, role, budget overrides), token usage per user, day and model, and the audit
 * log of admin actions.
 */
@Route("admin")
@PageTitle("Admin · StreamChat")
@RolesAllowed("ADMIN")
public class AdminView extends Div {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final AdminActions actions;

	private final UserAccounts accounts;

	private final Budgets budgets;

	private final UsageLedger ledger;

	private final AuditLog audit;

	private final UserId admin;

	private final Grid<Account> users = new Grid<>();

	private final Span message = new Span();

	// create
	private final TextField newName = new TextField("User name");

	private final PasswordField newPassword = new PasswordField("Password");

	private final Select<AccountRole> newRole = new Select<>();

	// the selected account
	private final Div editor = new Div();

	private final H2 editing = new H2();

	private final Select<AccountRole> role = new Select<>();

	private final Checkbox enabled = new Checkbox("Enabled");

	private final PasswordField resetPassword = new PasswordField("New password");

	private final TextField daily = limitField("Tokens per day", "daily");

	private final TextField monthly = limitField("Tokens per month", "monthly");

	private final TextField streams = limitField("Answers streaming at once", "streams");

	private final TextField perMinute = limitField("Prompts per minute", "per-minute");

	// usage and audit
	private final DatePicker from = new DatePicker("From");

	private final DatePicker to = new DatePicker("To");

	private final Grid<UsageLedger.Row> usage = new Grid<>();

	private final Grid<AuditLog.Entry> auditGrid = new Grid<>();

	AdminView(AdminActions actions, UserAccounts accounts, Budgets budgets, UsageLedger ledger, AuditLog audit,
			CurrentUser currentUser) {
		this.actions = actions;
		this.accounts = accounts;
		this.budgets = budgets;
		this.ledger = ledger;
		this.audit = audit;
		this.admin = currentUser.require();
		addClassName("admin-view");
		message.setId("admin-message");
		message.addClassName("admin-message");
		TabSheet tabs = new TabSheet();
		tabs.add("Users", usersTab());
		tabs.add("Usage", usageTab());
		tabs.add("Audit log", auditTab());
		tabs.setWidthFull();
		add(new Anchor("", "← Back to the chat"), new H1("Admin"), message, tabs);
		refreshUsers();
		refreshUsage();
		refreshAudit();
	}

	private Component usersTab() {
		newName.setId("new-username");
		newPassword.setId("new-password");
		newPassword.setHelperText("8 to 72 characters");
		newRole.setId("new-role");
		newRole.setLabel("Role");
		newRole.setItems(AccountRole.values());
		newRole.setValue(AccountRole.USER);
		Button create = new Button("Create account", e -> run(() -> {
			actions.createUser(admin, newName.getValue(), newPassword.getValue(), newRole.getValue());
			newName.clear();
			newPassword.clear();
		}, "Account created."));
		create.setId("create-user");
		create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
		Div createForm = new Div(newName, newPassword, newRole, create);
		createForm.addClassName("admin-form");

		users.setId("users");
		users.addColumn(Account::username).setHeader("User").setSortable(true);
		users.addColumn(Account::role).setHeader("Role");
		users.addColumn(a -> a.enabled() ? "yes" : "no").setHeader("Enabled");
		users.addColumn(a -> TIME.format(a.createdAt())).setHeader("Created");
		users.addColumn(a -> Budgets.number(ledger.spent(a.id()).today())).setHeader("Tokens today");
		users.addColumn(a -> limitsText(budgets.limitsOf(a.id())))
			.setHeader("Limits (day / month / streams / per min)");
		users.setAllRowsVisible(true);
		users.asSingleSelect().addValueChangeListener(e -> edit(e.getValue()));

		role.setId("role");
		role.setLabel("Role");
		role.setItems(AccountRole.values());
		enabled.setId("enabled");
		resetPassword.setId("reset-password");
		Button saveRole = new Button("Save role",
				e -> selected(a -> actions.changeRole(admin, a.id(), role.getValue()), "Role changed."));
		saveRole.setId("save-role");
		Button saveEnabled = new Button("Save",
				e -> selected(a -> actions.setEnabled(admin, a.id(), enabled.getValue()), enabled.getValue()
						? "Account enabled." : "Account disabled: it can no longer sign in or send prompts."));
		saveEnabled.setId("save-enabled");
		Button reset = new Button("Reset password", e -> selected(a -> {
			actions.resetPassword(admin, a.id(), resetPassword.getValue());
			resetPassword.clear();
		}, "Password reset."));
		reset.setId("reset");
		Button saveLimits = new Button("Save limits",
				e -> selected(
						a -> actions.setBudget(admin, a.id(),
								new Limits.Overrides(longOf(daily), longOf(monthly), intOf(streams), intOf(perMinute))),
						"Limits saved."));
		saveLimits.setId("save-limits");
		Limits defaults = budgets.defaults();
		Span hint = new Span("Blank: the default (%s). 0: no limit.".formatted(limitsText(defaults)));
		hint.addClassName("admin-hint");
		Div roleRow = new Div(role, saveRole);
		Div enabledRow = new Div(enabled, saveEnabled);
		Div passwordRow = new Div(resetPassword, reset);
		Div limitsRow = new Div(daily, monthly, streams, perMinute, saveLimits);
		for (Div row : List.of(roleRow, enabledRow, passwordRow, limitsRow)) {
			row.addClassName("admin-form");
		}
		editor.add(editing, roleRow, enabledRow, passwordRow, limitsRow, hint);
		editor.setId("user-editor");
		editor.setVisible(false);
		return new Div(new H2("New account"), createForm, new H2("Accounts"), users, editor);
	}

	private Component usageTab() {
		LocalDate today = ledger.today();
		from.setValue(today.minusDays(29));
		to.setValue(today);
		from.addValueChangeListener(e -> refreshUsage());
		to.addValueChangeListener(e -> refreshUsage());
		usage.setId("usage");
		usage.addColumn(r -> r.day().toString()).setHeader("Day");
		usage.addColumn(r -> names().getOrDefault(r.user(), "#" + r.user())).setHeader("User");
		usage.addColumn(UsageLedger.Row::model).setHeader("Model");
		usage.addColumn(r -> switch (r.kind()) {
			case REPLY -> "answers";
			case TITLE -> "titles";
		}).setHeader("For");
		usage.addColumn(UsageLedger.Row::requests).setHeader("Requests");
		usage.addColumn(r -> Budgets.number(r.inputTokens())).setHeader("Input");
		usage.addColumn(r -> Budgets.number(r.outputTokens())).setHeader("Output");
		usage.addColumn(r -> Budgets.number(r.thoughtTokens())).setHeader("Thinking");
		usage.addColumn(r -> Budgets.number(r.total())).setHeader("Total");
		return new Div(new Div(from, to), usage);
	}

	private Component auditTab() {
		auditGrid.setId("audit");
		auditGrid.addColumn(e -> TIME.format(e.at())).setHeader("When");
		auditGrid.addColumn(AuditLog.Entry::actor).setHeader("Admin");
		auditGrid.addColumn(e -> e.action().name().toLowerCase(Locale.ROOT).replace('_', ' ')).setHeader("Action");
		auditGrid.addColumn(AuditLog.Entry::target).setHeader("Account");
		auditGrid.addColumn(AuditLog.Entry::detail).setHeader("Detail");
		return auditGrid;
	}

	private void edit(Account account) {
		editor.setVisible(account != null);
		if (account == null) {
			return;
		}
		editing.setText(account.username());
		role.setValue(account.role());
		enabled.setValue(account.enabled());
		resetPassword.clear();
		Limits.Overrides overrides = budgets.overridesOf(account.id());
		daily.setValue(text(overrides.dailyTokens()));
		monthly.setValue(text(overrides.monthlyTokens()));
		streams.setValue(text(overrides.concurrentStreams()));
		perMinute.setValue(text(overrides.promptsPerMinute()));
	}

	private void selected(Consumer<Account> action, String done) {
		Account account = users.asSingleSelect().getValue();
		if (account != null) {
			run(() -> action.accept(account), done);
		}
	}

	/** Runs an action; a refusal is shown in words and the form keeps what was typed. */
	private void run(Runnable action, String done) {
		try {
			action.run();
			message.setText(done);
			message.removeClassName("error");
			Account selected = users.asSingleSelect().getValue();
			refreshUsers();
			if (selected != null) {
				accounts.account(selected.id()).ifPresent(a -> {
					users.asSingleSelect().setValue(a);
					edit(a);
				});
			}
			refreshAudit();
		}
		catch (AccountRejectedException | IllegalArgumentException rejected) {
			message.setText(rejected.getMessage());
			message.addClassName("error");
		}
	}

	private void refreshUsers() {
		users.setItems(accounts.accounts());
	}

	private void refreshUsage() {
		if (from.getValue() != null && to.getValue() != null) {
			usage.setItems(ledger.report(from.getValue(), to.getValue()));
		}
	}

	private void refreshAudit() {
		auditGrid.setItems(audit.latest(200));
	}

	private Map<UserId, String> names() {
		return accounts.accounts().stream().collect(Collectors.toMap(Account::id, Account::username, (a, b) -> a));
	}

	private static TextField limitField(String label, String id) {
		TextField field = new TextField(label);
		field.setId("limit-" + id);
		field.setPlaceholder("default");
		field.setAllowedCharPattern("[0-9]");
		return field;
	}

	private static String limitsText(Limits limits) {
		Function<Long, String> n = v -> v == 0 ? "none" : Budgets.number(v);
		return n.apply(limits.dailyTokens()) + " / " + n.apply(limits.monthlyTokens()) + " / "
				+ n.apply((long) limits.concurrentStreams()) + " / " + n.apply((long) limits.promptsPerMinute());
	}

	private static String text(@Nullable Number value) {
		return value == null ? "" : value.toString();
	}

	private static @Nullable Long longOf(TextField field) {
		String v = field.getValue().strip();
		try {
			return v.isEmpty() ? null : Long.parseLong(v);
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException(field.getLabel() + ": a whole number, or blank for the default.");
		}
	}

	private static @Nullable Integer intOf(TextField field) {
		Long v = longOf(field);
		if (v != null && v > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(field.getLabel() + ": at most " + Integer.MAX_VALUE + ".");
		}
		return v == null ? null : v.intValue();
	}

}
