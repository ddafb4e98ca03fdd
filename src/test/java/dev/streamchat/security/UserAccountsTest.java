package dev.streamchat.security;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DataJdbcTest
@Import({ UserAccounts.class, UserAccountsTest.Config.class })
class UserAccountsTest {

	@TestConfiguration
	@EnableConfigurationProperties(SecurityProperties.class)
	static class Config {

		@Bean
		PasswordEncoder passwordEncoder() {
			return PasswordEncoderFactories.createDelegatingPasswordEncoder();
		}

	}

	@Autowired
	UserAccounts accounts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void onAFreshInstallTheFirstVisitorSignsUpAndAdoptsThePanesMadeBefore() {
		jdbc.sql(
				"insert into pane (title, model, position, open, created_at) values ('old', 'm', 1, true, current_timestamp)")
			.update();
		assertThat(accounts.signupAllowed()).isTrue();

		UserId first = accounts.signUp("first", "a-long-password");

		assertThat(jdbc.sql("select owner_id from pane where title = 'old'").query(Long.class).single())
			.isEqualTo(first.value());
		assertThat(accounts.signupAllowed()).as("sign-up closes after the first account").isFalse();
		assertThatThrownBy(() -> accounts.signUp("second", "a-long-password"))
			.isInstanceOf(AccountRejectedException.class)
			.hasMessageContaining("closed");
	}

	@Test
	void theLastEnabledAdminCanBeNeitherDemotedNorDisabledButAnotherAdminCan() {
		UserId first = accounts.create("first-admin", "a-long-password");
		UserId second = accounts.create("second-user", "a-long-password");

		assertThatThrownBy(() -> accounts.changeRole(first, AccountRole.USER))
			.isInstanceOf(AccountRejectedException.class)
			.hasMessageContaining("last enabled admin");
		assertThatThrownBy(() -> accounts.setEnabled(first, false)).isInstanceOf(AccountRejectedException.class)
			.hasMessageContaining("last enabled admin");

		accounts.changeRole(second, AccountRole.ADMIN);
		accounts.changeRole(first, AccountRole.USER);
		assertThat(accounts.account(first).orElseThrow().role()).isEqualTo(AccountRole.USER);
		assertThat(accounts.account(second).orElseThrow().role()).isEqualTo(AccountRole.ADMIN);
	}

	@Test
	void aResetPasswordFollowsTheSignUpRulesAndReplacesTheOldOne() {
		UserId user = accounts.create("resettable", "the-old-password");

		assertThatThrownBy(() -> accounts.resetPassword(user, "short")).isInstanceOf(AccountRejectedException.class);
		accounts.resetPassword(user, "the-new-password");

		String stored = jdbc.sql("select password_hash from app_user where username = 'resettable'")
			.query(String.class)
			.single();
		assertThat(passwords.matches("the-new-password", stored)).isTrue();
		assertThat(passwords.matches("the-old-password", stored)).isFalse();
	}

	@Test
	void aResetPasswordOrADisableForgetsEveryBrowserTheUserWasRememberedIn() {
		// the first account is the admin
		accounts.create("the-admin", "the-admins-password");
		UserId user = accounts.create("remembered", "the-old-password");
		rememberABrowser("remembered", "series-1");
		rememberABrowser("remembered", "series-2");
		rememberABrowser("someone-else", "series-3");

		accounts.resetPassword(user, "the-new-password");

		assertThat(rememberedSeries()).containsExactly("series-3");
		rememberABrowser("remembered", "series-4");
		accounts.setEnabled(user, false);
		assertThat(rememberedSeries()).containsExactly("series-3");
	}

	private void rememberABrowser(String username, String series) {
		jdbc.sql("insert into remember_me_token (series, username, token, last_used) values (:s, :u, 't', :at)")
			.param("s", series)
			.param("u", username)
			.param("at", Timestamp.from(Instant.now()))
			.update();
	}

	private List<String> rememberedSeries() {
		return jdbc.sql("select series from remember_me_token order by series").query(String.class).list();
	}

	@Test
	void passwordsAreStoredHashedOnly() {
		accounts.create("hashed", "correct horse battery");

		String stored = jdbc.sql("select password_hash from app_user where username = 'hashed'")
			.query(String.class)
			.single();
		assertThat(stored).doesNotContain("correct horse battery").startsWith("{bcrypt}");
		assertThat(passwords.matches("correct horse battery", stored)).isTrue();
	}

	@Test
	void badNamesShortPasswordsAndTakenNamesAreRefusedClearly() {
		accounts.create("taken", "long-enough-password");

		assertThatThrownBy(() -> accounts.create("x", "long-enough-password")).hasMessageContaining("3 to 64");
		assertThatThrownBy(() -> accounts.create("short", "1234567")).hasMessageContaining("at least 8");
		assertThatThrownBy(() -> accounts.create("taken", "long-enough-password"))
			.hasMessage("That user name is taken.");
	}

	@Test
	void passwordsLongerThanBcryptReadsAreRefusedWithAMessage() {
		assertThatThrownBy(() -> accounts.create("long", "x".repeat(73))).isInstanceOf(AccountRejectedException.class)
			.hasMessageContaining("at most 72 bytes");
		// 36 two-byte letters are 72 bytes: accepted; 37 are not
		assertThat(accounts.create("accents", "é".repeat(36))).isNotNull();
		assertThatThrownBy(() -> accounts.create("accents2", "é".repeat(37))).hasMessageContaining("72 bytes");
	}

	@Test
	void theFirstAccountIsAnAdminAndLaterOnesAreUsers() {
		accounts.create("first-admin", "long-enough-password");
		accounts.create("later-user", "long-enough-password");

		assertThat(jdbc.sql("select role from app_user where username = 'first-admin'").query(String.class).single())
			.isEqualTo("ADMIN");
		assertThat(jdbc.sql("select role from app_user where username = 'later-user'").query(String.class).single())
			.isEqualTo("USER");
	}

	/**
	 * Two visitors of a fresh install press "Create account" at once: exactly one becomes
	 * the owner. The first one's transaction stays open until the second has either got
	 * through or is waiting for it, so the two always overlap (left to chance, BCrypt's
	 * jitter keeps them apart and the test passes without the lock).
	 */
	@Test
	@Transactional(propagation = Propagation.NOT_SUPPORTED)
	void concurrentFirstSignUpsMakeExactlyOneAccount() throws Exception {
		CountDownLatch firstCounted = new CountDownLatch(1);
		AtomicBoolean secondStarted = new AtomicBoolean();
		CompletableFuture<Object> second = new CompletableFuture<>();
		Thread secondVisitor = Thread.ofPlatform().start(() -> {
			try {
				firstCounted.await();
				secondStarted.set(true);
				second.complete(accounts.signUp("visitor1", "long-enough-password"));
			}
			catch (Exception e) {
				second.complete(e);
			}
		});
		try {
			UserId first = new TransactionTemplate(transactionManager).execute(tx -> {
				UserId id = accounts.signUp("visitor0", "long-enough-password");
				firstCounted.countDown();
				Awaitility.await()
					.atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> second.isDone() || secondStarted.get() && waiting(secondVisitor));
				return id;
			});
			Object outcome = second.get(30, TimeUnit.SECONDS);

			assertThat(jdbc.sql("select count(*) from app_user").query(Integer.class).single()).isEqualTo(1);
			assertThat(first).isNotNull();
			assertThat(outcome).isInstanceOf(AccountRejectedException.class)
				.extracting(o -> ((Exception) o).getMessage())
				.asString()
				.contains("closed");
		}
		finally {
			secondVisitor.join();
			jdbc.sql("delete from app_user").update();
		}
	}

	/** Waiting for a lock (or anything else), not computing. */
	private static boolean waiting(Thread thread) {
		Thread.State state = thread.getState();
		return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
	}

}
