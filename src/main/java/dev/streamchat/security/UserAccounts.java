package dev.streamchat.security;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.streamchat.security.internal.UserRepository;
import dev.streamchat.security.internal.UserRow;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** User accounts: created with a hashed password, found by name. */
@Service
public class UserAccounts {

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");

	private static final int MIN_PASSWORD = 8;

	/**
	 * BCrypt reads 72 bytes and refuses more; a longer password would fail at sign-in,
	 * not here.
	 */
	static final int MAX_PASSWORD_BYTES = 72;

	private final UserRepository users;

	private final PasswordEncoder passwords;

	private final SecurityProperties properties;

	private final JdbcClient jdbc;

	private final Clock clock = Clock.systemUTC();

	UserAccounts(UserRepository users, PasswordEncoder passwords, SecurityProperties properties, JdbcClient jdbc) {
		this.users = users;
		this.passwords = passwords;
		this.properties = properties;
		this.jdbc = jdbc;
	}

	public Optional<UserId> find(String username) {
		return users.findByUsername(username).map(row -> new UserId(row.storedId()));
	}

	/** Every account, by name. */
	public List<Account> accounts() {
		return users.findAll()
			.stream()
			.map(UserAccounts::toAccount)
			.sorted(Comparator.comparing(Account::username, String.CASE_INSENSITIVE_ORDER))
			.toList();
	}

	public Optional<Account> account(UserId id) {
		return users.findById(id.value()).map(UserAccounts::toAccount);
	}

	/**
	 * Locks the account's row until the caller's transaction ends, so that checks of the
	 * user's limits and what they count are one step on every node alike.
	 * @return whether the account exists and is enabled
	 */
	public boolean lockEnabled(UserId id) {
		return jdbc.sql("select enabled from app_user where id = :id for update")
			.param("id", id.value())
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	/**
	 * Enables or disables an account. A disabled account cannot sign in, and its open
	 * sessions can send no more prompts (every prompt checks). The last enabled admin
	 * cannot be disabled.
	 */
	@Transactional
	public void setEnabled(UserId id, boolean enabled) {
		lockAccounts();
		UserRow row = users.findById(id.value()).orElseThrow(() -> new AccountRejectedException("No such account."));
		if (!enabled) {
			keepAnAdmin(row);
		}
		users.save(new UserRow(row.id(), row.username(), row.passwordHash(), row.createdAt(), row.role(), enabled));
		if (!enabled) {
			users.forgetRememberedBrowsers(row.username());
		}
	}

	/** Gives an account a new role; the last enabled admin keeps theirs. */
	@Transactional
	public void changeRole(UserId id, AccountRole role) {
		lockAccounts();
		UserRow row = users.findById(id.value()).orElseThrow(() -> new AccountRejectedException("No such account."));
		if (role != AccountRole.ADMIN) {
			keepAnAdmin(row);
		}
		users.save(
				new UserRow(row.id(), row.username(), row.passwordHash(), row.createdAt(), role.name(), row.enabled()));
	}

	/**
	 * Sets a new password (the same rules as at sign-up), as an admin does for a user who
	 * forgot theirs.
	 */
	@Transactional
	public void resetPassword(UserId id, String password) {
		UserRow row = users.findById(id.value()).orElseThrow(() -> new AccountRejectedException("No such account."));
		String hash = checkedHash(row.username(), password);
		users.save(new UserRow(row.id(), row.username(), hash, row.createdAt(), row.role(), row.enabled()));
		// whoever held the old password may hold a remembered cookie too
		users.forgetRememberedBrowsers(row.username());
	}

	/**
	 * Refuses to take the last enabled admin away (nobody could manage accounts any
	 * more).
	 */
	private void keepAnAdmin(UserRow changed) {
		boolean isEnabledAdmin = changed.enabled() && AccountRole.ADMIN.name().equals(changed.role());
		long enabledAdmins = users.findAll()
			.stream()
			.filter(u -> u.enabled() && AccountRole.ADMIN.name().equals(u.role()))
			.count();
		if (isEnabledAdmin && enabledAdmins <= 1) {
			throw new AccountRejectedException("This is the last enabled admin: make another account an admin first.");
		}
	}

	private static Account toAccount(UserRow row) {
		return new Account(new UserId(row.storedId()), row.username(), AccountRole.valueOf(row.role()), row.enabled(),
				row.createdAt());
	}

	/** An account as an admin sees it; never its password hash. */
	public record Account(UserId id, String username, AccountRole role, boolean enabled, Instant createdAt) {
	}

	/** Whether no account exists yet (a fresh install). */
	public boolean isEmpty() {
		return users.count() == 0;
	}

	/** Whether the sign-up page may create an account now. */
	public boolean signupAllowed() {
		// sign-up makes password accounts: none while password sign-in is off (single
		// sign-on makes its own)
		return properties.passwordLogin()
				&& (properties.signup() == SecurityProperties.Signup.OPEN || users.count() == 0);
	}

	/**
	 * Sign-up from the page, subject to {@link #signupAllowed()}, decided under the
	 * account lock: two visitors of a fresh install at once make one account, and the
	 * other is told sign-up closed.
	 */
	@Transactional
	public UserId signUp(String username, String password) {
		String hash = checkedHash(username, password);
		lockAccounts();
		if (!signupAllowed()) {
			throw new AccountRejectedException("Sign-up is closed: ask the administrator for an account.");
		}
		return insert(username.strip(), hash, null, false);
	}

	/**
	 * Creates an account; the very first one is an admin and adopts panes made before
	 * accounts existed. {@code role} null: USER, unless it is the first account.
	 */
	@Transactional
	public UserId create(String username, @Nullable String password, @Nullable AccountRole role) {
		String hash = checkedHash(username, password);
		lockAccounts();
		return insert(username.strip(), hash, role, false);
	}

	/** Creates an account with the USER role (ADMIN when it is the first). */
	@Transactional
	public UserId create(String username, String password) {
		return create(username, password, null);
	}

	/**
	 * The account of a user an identity provider vouched for ({@code issuer} and
	 * {@code subject} from its ID token), made on the first sign-in under a free name
	 * derived from {@code preferredName}. {@code claimedRole} present (the admin claim is
	 * configured): the account's role becomes it, now and at every later sign-in, so the
	 * provider decides; empty: the role is the app's (the first account is an admin). A
	 * disabled account is refused.
	 */
	@Transactional
	public AccountPrincipal signInFromProvider(String issuer, String subject, @Nullable String preferredName,
			Optional<AccountRole> claimedRole) {
		Optional<Long> known = identity(issuer, subject);
		if (known.isEmpty()) {
			lockAccounts();
			// another node or tab may have made it meanwhile
			known = identity(issuer, subject);
		}
		long id = known.orElseGet(() -> {
			UserId created = insert(freeName(preferredName, subject), null, claimedRole.orElse(null),
					claimedRole.isPresent());
			jdbc.sql(
					"insert into external_identity (issuer, subject, user_id, created_at) values (:issuer, :subject, :user, :at)")
				.param("issuer", issuer)
				.param("subject", subject)
				.param("user", created.value())
				.param("at", Timestamp.from(clock.instant()))
				.update();
			return created.value();
		});
		UserRow row = users.findById(id).orElseThrow();
		if (!row.enabled()) {
			throw new DisabledException("account " + row.username() + " is disabled");
		}
		AccountRole role = claimedRole.orElse(AccountRole.valueOf(row.role()));
		if (!role.name().equals(row.role())) {
			jdbc.sql("update app_user set role = :role where id = :id")
				.param("role", role.name())
				.param("id", id)
				.update();
			LoggerFactory.getLogger(UserAccounts.class)
				.info("Account '{}' is now {}, as the identity provider's claim says", row.username(), role);
		}
		return new AccountPrincipal(new UserId(row.storedId()), row.username(), row.passwordHash(), role,
				row.enabled());
	}

	private Optional<Long> identity(String issuer, String subject) {
		return jdbc.sql("select user_id from external_identity where issuer = :issuer and subject = :subject")
			.param("issuer", issuer)
			.param("subject", subject)
			.query(Long.class)
			.optional();
	}

	/**
	 * A valid user name not yet taken: the provider's name with other characters
	 * replaced, numbered if taken.
	 */
	private String freeName(@Nullable String preferred, String subject) {
		String base = preferred == null ? "" : preferred.strip().replaceAll("[^A-Za-z0-9._@-]", "-");
		if (base.length() < 3) {
			base = "user-" + Integer.toHexString(subject.hashCode());
		}
		base = base.substring(0, Math.min(base.length(), 58));
		String name = base;
		for (int n = 2; users.findByUsername(name).isPresent(); n++) {
			name = base + "-" + n;
		}
		return name;
	}

	/**
	 * Validates, then hashes outside the account lock (BCrypt takes a while on purpose).
	 */
	private String checkedHash(String username, @Nullable String password) {
		String name = username == null ? "" : username.strip();
		if (!USERNAME.matcher(name).matches()) {
			throw new AccountRejectedException("A user name has 3 to 64 letters, digits or . _ @ -");
		}
		if (password == null || password.length() < MIN_PASSWORD) {
			throw new AccountRejectedException("A password has at least " + MIN_PASSWORD + " characters.");
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			throw new AccountRejectedException("A password has at most " + MAX_PASSWORD_BYTES
					+ " bytes: 72 plain letters or digits, fewer with accents or emoji.");
		}
		// null only for a null password, which was refused above
		return Objects.requireNonNull(passwords.encode(password));
	}

	/**
	 * Serialises account creation (see V9__account_roles.sql): the count below is then
	 * the truth.
	 */
	private void lockAccounts() {
		jdbc.sql("select id from account_gate where id = 1 for update").query(Integer.class).single();
	}

	/**
	 * {@code exactRole}: {@code requested} as it is, even for the first account (an
	 * identity provider's claim decides). {@code hash} null: an account of single
	 * sign-on, without a password.
	 */
	private UserId insert(String name, @Nullable String hash, @Nullable AccountRole requested, boolean exactRole) {
		boolean first = users.count() == 0;
		AccountRole role = exactRole && requested != null ? requested
				: first ? AccountRole.ADMIN : requested == null ? AccountRole.USER : requested;
		UserRow row;
		try {
			row = users.save(new UserRow(null, name, hash, clock.instant(), role.name(), true));
		}
		catch (DuplicateKeyException taken) {
			throw new AccountRejectedException("That user name is taken.");
		}
		if (first) {
			jdbc.sql("update pane set owner_id = :owner where owner_id is null")
				.param("owner", row.storedId())
				.update();
		}
		return new UserId(row.storedId());
	}

}
