package dev.streamchat.security.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.streamchat.security.AccountRole;
import dev.streamchat.security.SecurityProperties;
import dev.streamchat.security.UserAccounts;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the configured admin claim reads the shapes providers send it in (SingleSignOnTest
 * runs the whole flow).
 */
class OidcSignInTest {

	@Test
	void aListClaimMakesAnAdminWhenItHoldsTheValue() {
		OidcSignIn groups = signIn("groups", "admins");

		assertThat(groups.claimedRole(Map.of("groups", List.of("staff", "admins")))).contains(AccountRole.ADMIN);
		assertThat(groups.claimedRole(Map.of("groups", List.of("staff")))).contains(AccountRole.USER);
		assertThat(groups.claimedRole(Map.of())).as("no claim: not an admin").contains(AccountRole.USER);
	}

	@Test
	void aStringClaimMayHoldSeveralValuesButNotAPartOfOne() {
		OidcSignIn roles = signIn("roles", "admin");

		assertThat(roles.claimedRole(Map.of("roles", "user admin"))).contains(AccountRole.ADMIN);
		assertThat(roles.claimedRole(Map.of("roles", "user,admin"))).contains(AccountRole.ADMIN);
		assertThat(roles.claimedRole(Map.of("roles", "administrator"))).contains(AccountRole.USER);
	}

	@Test
	void withoutAValueTheClaimMustBeTrue() {
		OidcSignIn flag = signIn("is_admin", "");

		assertThat(flag.claimedRole(Map.of("is_admin", true))).contains(AccountRole.ADMIN);
		assertThat(flag.claimedRole(Map.of("is_admin", "false"))).contains(AccountRole.USER);
	}

	@Test
	void withoutAnAdminClaimTheAppKeepsItsOwnRoles() {
		assertThat(signIn("", "").claimedRole(Map.of("groups", List.of("admins")))).isEqualTo(Optional.empty());
	}

	private static OidcSignIn signIn(String claim, String value) {
		SecurityProperties properties = new SecurityProperties(null, null, SecurityProperties.Signup.FIRST_USER,
				new SecurityProperties.Login(5, 20, Duration.ofSeconds(1), Duration.ofMinutes(15)),
				SecurityProperties.DEFAULT_CSP, true,
				new SecurityProperties.Oidc("https://sso.example.org", "app", "secret", "SSO", List.of("openid"),
						"preferred_username", claim, value),
				new SecurityProperties.RememberMe(true, Duration.ofDays(14), Duration.ofSeconds(30)));
		// the accounts are not reached by claimedRole
		return new OidcSignIn(properties, Mockito.mock(UserAccounts.class));
	}

}
