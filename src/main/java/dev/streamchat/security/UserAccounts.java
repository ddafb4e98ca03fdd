package dev.streamchat.security;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.streamchat.security.internal.UserRepository;
import dev.streamchat.security.internal.UserRow;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** User accounts: created with a hashed password, found by name. */
@Service
public class UserAccounts {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");
    private static final int MIN_PASSWORD = 8;
    /** BCrypt reads 72 bytes and refuses more; a longer password would fail at sign-in, not here. */
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
        return users.findAll().stream().map(UserAccounts::toAccount)
                .sorted(java.util.Comparator.comparing(Account::username, String.CASE_INSENSITIVE_ORDER)).toList();
    }

    public Optional<Account> account(UserId id) {
        return users.findById(id.value()).map(UserAccounts::toAccount);
    }

    /**
     * Locks the account's row until the caller's transaction ends, so that checks of the user's limits
     * and what they count are one step on every node alike.
     *
     * @return whether the account exists and is enabled
     */
    public boolean lockEnabled(UserId id) {
        return jdbc.sql("select enabled from app_user where id = :id for update").param("id", id.value())
                .query(Boolean.class).optional().orElse(false);
    }

    /**
     * Enables or disables an account. A disabled account cannot sign in, and its open sessions can
     * send no more prompts (every prompt checks). The last enabled admin cannot be disabled.
     */
    @Transactional
    public void setEnabled(UserId id, boolean enabled) {
        lockAccounts();
        UserRow row = users.findById(id.value()).orElseThrow(() -> new AccountRejectedException("No such account."));
        if (!enabled) {
            keepAnAdmin(row);
        }
        users.save(new UserRow(row.id(), row.username(), row.passwordHash(), row.createdAt(), row.role(), enabled));
    }

    /** Gives an account a new role; the last enabled admin keeps theirs. */
    @Transactional
    public void changeRole(UserId id, AccountRole role) {
        lockAccounts();
        UserRow row = users.findById(id.value()).orElseThrow(() -> new AccountRejectedException("No such account."));
        if (role != AccountRole.ADMIN) {
            keepAnAdmin(row);
        }
        users.save(new UserRow(row.id(), row.username(), row.passwordHash(), row.createdAt(), role.name(), row.enabled()));
    }

    /** Sets a new password (the same rules as at sign-up), as an admin does for a user who forgot theirs. */
    @Transactional
    public void resetPassword(UserId id, String password) {
        UserRow row = users.findById(id.value()).orElseThrow(() -> new AccountRejectedException("No such account."));
        String hash = checkedHash(row.username(), password);
        users.save(new UserRow(row.id(), row.username(), hash, row.createdAt(), row.role(), row.enabled()));
    }

    /** Refuses to take the last enabled admin away (nobody could manage accounts any more). */
    private void keepAnAdmin(UserRow changed) {
        boolean isEnabledAdmin = changed.enabled() && AccountRole.ADMIN.name().equals(changed.role());
        long enabledAdmins = users.findAll().stream()
                .filter(u -> u.enabled() && AccountRole.ADMIN.name().equals(u.role())).count();
        if (isEnabledAdmin && enabledAdmins <= 1) {
            throw new AccountRejectedException("This is the last enabled admin: make another account an admin first.");
        }
    }

    private static Account toAccount(UserRow row) {
        return new Account(new UserId(row.storedId()), row.username(), AccountRole.valueOf(row.role()), row.enabled(),
                row.createdAt());
    }

    /** An account as an admin sees it; never its password hash. */
    public record Account(UserId id, String username, AccountRole role, boolean enabled, java.time.Instant createdAt) {
    }

    /** Whether no account exists yet (a fresh install). */
    public boolean isEmpty() {
        return users.count() == 0;
    }

    /** Whether the sign-up page may create an account now. */
    public boolean signupAllowed() {
        return properties.signup() == SecurityProperties.Signup.OPEN || users.count() == 0;
    }

    /**
     * Sign-up from the page, subject to {@link #signupAllowed()}, decided under the account lock:
     * two visitors of a fresh install at once make one account, and the other is told sign-up closed.
     */
    @Transactional
    public UserId signUp(String username, String password) {
        String hash = checkedHash(username, password);
        lockAccounts();
        if (!signupAllowed()) {
            throw new AccountRejectedException("Sign-up is closed: ask the administrator for an account.");
        }
        return insert(username.strip(), hash, null);
    }

    /**
     * Creates an account; the very first one is an admin and adopts panes made before accounts existed.
     * {@code role} null: USER, unless it is the first account.
     */
    @Transactional
    public UserId create(String username, @Nullable String password, @Nullable AccountRole role) {
        String hash = checkedHash(username, password);
        lockAccounts();
        return insert(username.strip(), hash, role);
    }

    /** Creates an account with the USER role (ADMIN when it is the first). */
    @Transactional
    public UserId create(String username, String password) {
        return create(username, password, null);
    }

    /** Validates, then hashes outside the account lock (BCrypt takes a while on purpose). */
    private String checkedHash(String username, @Nullable String password) {
        String name = username == null ? "" : username.strip();
        if (!USERNAME.matcher(name).matches()) {
            throw new AccountRejectedException("A user name has 3 to 64 letters, digits or . _ @ -");
        }
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new AccountRejectedException("A password has at least " + MIN_PASSWORD + " characters.");
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new AccountRejectedException("A password has at most " + MAX_PASSWORD_BYTES
                    + " bytes: 72 plain letters or digits, fewer with accents or emoji.");
        }
        // null only for a null password, which was refused above
        return Objects.requireNonNull(passwords.encode(password));
    }

    /** Serialises account creation (see V9__account_roles.sql): the count below is then the truth. */
    private void lockAccounts() {
        jdbc.sql("select id from account_gate where id = 1 for update").query(Integer.class).single();
    }

    private UserId insert(String name, String hash, @Nullable AccountRole requested) {
        boolean first = users.count() == 0;
        AccountRole role = first ? AccountRole.ADMIN : requested == null ? AccountRole.USER : requested;
        UserRow row;
        try {
            row = users.save(new UserRow(null, name, hash, clock.instant(), role.name(), true));
        } catch (DuplicateKeyException taken) {
            throw new AccountRejectedException("That user name is taken.");
        }
        if (first) {
            jdbc.sql("update pane set owner_id = :owner where owner_id is null").param("owner", row.storedId()).update();
        }
        return new UserId(row.storedId());
    }
}
