package dev.streamchat.preferences;

import dev.streamchat.security.UserId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What a user chose for the screen, stored with the account so that every device and tab
 * shows it, and the page can be sent already in the right colours (no light flash before
 * dark).
 */
@Service
public class UserPreferences {

	private final JdbcClient jdbc;

	UserPreferences(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The user's colour scheme; {@link Appearance#SYSTEM} until they choose one. */
	public Appearance appearance(UserId user) {
		return jdbc.sql("select color_scheme from user_preference where user_id = :user")
			.param("user", user.value())
			.query(String.class)
			.optional()
			.map(UserPreferences::parse)
			.orElse(Appearance.SYSTEM);
	}

	/**
	 * Update, else insert: no transaction, so that a clash on PostgreSQL does not poison
	 * the retry.
	 */
	public void setAppearance(UserId user, Appearance appearance) {
		String value = appearance.name();
		if (update(user, value) > 0) {
			return;
		}
		try {
			jdbc.sql("insert into user_preference (user_id, color_scheme) values (:user, :scheme)")
				.param("user", user.value())
				.param("scheme", value)
				.update();
		}
		catch (DuplicateKeyException insertedMeanwhile) {
			// another tab of the same user chose at the same moment: the later choice
			// wins
			update(user, value);
		}
	}

	private int update(UserId user, String value) {
		return jdbc.sql("update user_preference set color_scheme = :scheme where user_id = :user")
			.param("user", user.value())
			.param("scheme", value)
			.update();
	}

	/**
	 * A value this code did not write (a hand edit, a later version's) falls back to
	 * following the system.
	 */
	private static Appearance parse(String stored) {
		try {
			return Appearance.valueOf(stored);
		}
		catch (IllegalArgumentException unknown) {
			return Appearance.SYSTEM;
		}
	}

}
