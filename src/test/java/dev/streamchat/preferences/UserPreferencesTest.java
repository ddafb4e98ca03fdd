package dev.streamchat.preferences;

import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.AppTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The colour scheme is stored per user: it follows the system until chosen, and one
 * user's choice is theirs alone.
 */
@AppTest
class UserPreferencesTest {

	@Autowired
	UserPreferences preferences;

	@Autowired
	UserAccounts accounts;

	@Test
	void aUserFollowsTheSystemUntilTheyChooseAndTheLatestChoiceIsKept() {
		UserId user = accounts.create("prefs-" + System.nanoTime(), "a-long-enough-password");
		assertThat(preferences.appearance(user)).isEqualTo(Appearance.SYSTEM);

		preferences.setAppearance(user, Appearance.DARK);
		assertThat(preferences.appearance(user)).isEqualTo(Appearance.DARK);
		preferences.setAppearance(user, Appearance.LIGHT);
		assertThat(preferences.appearance(user)).isEqualTo(Appearance.LIGHT);
	}

	@Test
	void oneUsersChoiceDoesNotChangeAnothers() {
		UserId first = accounts.create("prefs-a-" + System.nanoTime(), "a-long-enough-password");
		UserId second = accounts.create("prefs-b-" + System.nanoTime(), "a-long-enough-password");

		preferences.setAppearance(first, Appearance.DARK);

		assertThat(preferences.appearance(second)).isEqualTo(Appearance.SYSTEM);
	}

}
