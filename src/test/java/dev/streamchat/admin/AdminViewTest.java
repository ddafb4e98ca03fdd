package dev.streamchat.admin;

import java.util.List;
import java.util.UUID;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.streamchat.budget.Budgets;
import dev.streamchat.budget.Limits;
import dev.streamchat.budget.UsageKind;
import dev.streamchat.budget.UsageLedger;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.security.AccountRole;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserAccounts.Account;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestUsers;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.test.context.support.WithMockUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin view as an admin (alice, the bootstrap account) drives it, without a browser.
 */
@AppTest
@WithMockUser(username = TestUsers.ALICE, roles = { "USER", "ADMIN" })
class AdminViewTest extends SpringBrowserlessTest {

	@Autowired
	UserAccounts accounts;

	@Autowired
	AdminActions actions;

	@Autowired
	AuditLog audit;

	@Autowired
	Budgets budgets;

	@Autowired
	UsageLedger ledger;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	JdbcClient jdbc;

	static String name(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	UserId alice() {
		return accounts.find(TestUsers.ALICE).orElseThrow();
	}

	Grid<Account> users() {
		@SuppressWarnings("unchecked")
		Grid<Account> grid = find(Grid.class).id("users");
		return grid;
	}

	void select(UserId user) {
		Account account = users().getListDataView()
			.getItems()
			.filter(a -> a.id().equals(user))
			.findFirst()
			.orElseThrow();
		users().asSingleSelect().setValue(account);
	}

	/**
	 * Opens a tab of the view as a click on it does (a tab's content is attached only
	 * while it is shown).
	 */
	void tab(int index) {
		find(TabSheet.class).single().setSelectedIndex(index);
	}

	String shownMessage() {
		return find(Span.class).id("admin-message").getText();
	}

	@Test
	void anAdminCreatesAnAccountAndTheAuditLogSaysWhoDidIt() {
		String name = name("frank");
		navigate(AdminView.class);

		test(find(TextField.class).id("new-username")).setValue(name);
		test(find(PasswordField.class).id("new-password")).setValue("franks-long-password");
		@SuppressWarnings("unchecked")
		Select<AccountRole> role = find(Select.class).id("new-role");
		role.setValue(AccountRole.ADMIN);
		test(find(Button.class).id("create-user")).click();

		Account created = accounts.account(accounts.find(name).orElseThrow()).orElseThrow();
		assertThat(created.role()).isEqualTo(AccountRole.ADMIN);
		assertThat(users().getListDataView().getItems()).extracting(Account::username).contains(name);
		assertThat(audit.latest(10)).anySatisfy(e -> {
			assertThat(e.actor()).isEqualTo(TestUsers.ALICE);
			assertThat(e.action()).isEqualTo(AuditLog.Action.CREATE_USER);
			assertThat(e.target()).isEqualTo(name);
		});
		tab(2);
		@SuppressWarnings("unchecked")
		Grid<AuditLog.Entry> shown = find(Grid.class).id("audit");
		assertThat(shown.getListDataView().getItems()).anyMatch(e -> name.equals(e.target()));
	}

	@Test
	void aRefusedAccountIsExplainedAndTheFormKeepsWhatWasTyped() {
		navigate(AdminView.class);
		test(find(TextField.class).id("new-username")).setValue(name("short-pw"));
		test(find(PasswordField.class).id("new-password")).setValue("short");
		test(find(Button.class).id("create-user")).click();

		assertThat(shownMessage()).contains("at least 8 characters");
		assertThat(find(TextField.class).id("new-username").getValue()).startsWith("short-pw");
	}

	@Test
	void anAdminDisablesAnAccountResetsItsPasswordAndMakesItAnAdmin() {
		UserId gina = accounts.create(name("gina"), "ginas-long-password");
		navigate(AdminView.class);
		select(gina);

		test(find(Checkbox.class).id("enabled")).click();
		test(find(Button.class).id("save-enabled")).click();
		assertThat(accounts.account(gina).orElseThrow().enabled()).isFalse();

		test(find(PasswordField.class).id("reset-password")).setValue("a-brand-new-password");
		test(find(Button.class).id("reset")).click();
		String hash = jdbc.sql("select password_hash from app_user where id = ?")
			.param(gina.value())
			.query(String.class)
			.single();
		assertThat(passwords.matches("a-brand-new-password", hash)).isTrue();

		@SuppressWarnings("unchecked")
		Select<AccountRole> role = find(Select.class).id("role");
		role.setValue(AccountRole.ADMIN);
		test(find(Button.class).id("save-role")).click();
		assertThat(accounts.account(gina).orElseThrow().role()).isEqualTo(AccountRole.ADMIN);

		String ginasName = accounts.account(gina).orElseThrow().username();
		assertThat(audit.latest(20)).filteredOn(e -> ginasName.equals(e.target()))
			.extracting(AuditLog.Entry::action)
			.contains(AuditLog.Action.DISABLE_USER, AuditLog.Action.RESET_PASSWORD, AuditLog.Action.CHANGE_ROLE);
		assertThat(audit.latest(20)).filteredOn(e -> ginasName.equals(e.target()))
			.allSatisfy(e -> assertThat(String.valueOf(e.detail())).doesNotContain("a-brand-new-password"));
	}

	@Test
	void anAdminOverridesAUsersBudgetAndBlankKeepsTheDefault() {
		UserId hank = accounts.create(name("hank"), "hanks-long-password");
		navigate(AdminView.class);
		select(hank);

		test(find(TextField.class).id("limit-daily")).setValue("5000");
		test(find(TextField.class).id("limit-per-minute")).setValue("3");
		test(find(Button.class).id("save-limits")).click();

		assertThat(budgets.overridesOf(hank)).isEqualTo(new Limits.Overrides(5000L, null, null, 3));
		assertThat(budgets.limitsOf(hank).dailyTokens()).isEqualTo(5000);
		assertThat(budgets.limitsOf(hank).monthlyTokens()).isEqualTo(budgets.defaults().monthlyTokens());
		assertThat(audit.latest(5)).anySatisfy(e -> assertThat(e.action()).isEqualTo(AuditLog.Action.SET_BUDGET));
	}

	@Test
	void theUsageTabShowsTokensPerUserDayModelAndKind() {
		UserId ivy = accounts.create(name("ivy"), "ivys-long-password");
		ledger.record(ivy, "gemini-2.5-pro", UsageKind.REPLY, new ModelChunk.TokenCounts(100, 20, 30));
		ledger.record(ivy, "gemini-2.5-pro", UsageKind.REPLY, new ModelChunk.TokenCounts(200, 40, 0));
		ledger.record(ivy, "gemini-2.5-flash", UsageKind.TITLE, new ModelChunk.TokenCounts(50, 5, 0));
		navigate(AdminView.class);
		tab(1);

		@SuppressWarnings("unchecked")
		Grid<UsageLedger.Row> usage = find(Grid.class).id("usage");
		List<UsageLedger.Row> ivys = usage.getListDataView().getItems().filter(r -> r.user().equals(ivy)).toList();
		assertThat(ivys)
			.extracting(UsageLedger.Row::model, UsageLedger.Row::kind, UsageLedger.Row::requests,
					UsageLedger.Row::inputTokens, UsageLedger.Row::outputTokens, UsageLedger.Row::thoughtTokens)
			.containsExactlyInAnyOrder(Tuple.tuple("gemini-2.5-pro", UsageKind.REPLY, 2, 300L, 60L, 30L),
					Tuple.tuple("gemini-2.5-flash", UsageKind.TITLE, 1, 50L, 5L, 0L));
		assertThat(ivys).allSatisfy(r -> assertThat(r.day()).isEqualTo(ledger.today()));
	}

	@Test
	void theLastEnabledAdminCannotBeTakenAway() {
		navigate(AdminView.class);
		select(alice());

		test(find(Checkbox.class).id("enabled")).click();
		test(find(Button.class).id("save-enabled")).click();

		assertThat(shownMessage()).isEqualTo("You cannot disable your own account.");
		assertThat(accounts.account(alice()).orElseThrow().enabled()).isTrue();
	}

	@Test
	void everyAdminActionChecksTheActorInTheDatabaseNotOnlyTheRoute() {
		UserId plain = accounts.create(name("plain"), "plain-long-password");

		assertThatThrownBy(() -> actions.createUser(plain, name("sneaky"), "sneaky-long-password", AccountRole.ADMIN))
			.isInstanceOf(AccessDeniedException.class);
		assertThatThrownBy(() -> actions.setBudget(plain, plain, new Limits.Overrides(0L, 0L, 0, 0)))
			.isInstanceOf(AccessDeniedException.class);
		assertThat(budgets.overridesOf(plain)).isEqualTo(Limits.Overrides.NONE);
	}

	@Test
	@WithMockUser(username = TestUsers.ALICE, roles = "USER")
	void theRouterKeepsAUserWhoIsNoAdminOutOfTheAdminView() {
		UI.getCurrent().navigate(AdminView.class);

		assertThat(UI.getCurrent().getCurrentView()).isNotInstanceOf(AdminView.class);
		assertThat(find(Grid.class).all()).isEmpty();
	}

}
