package dev.streamchat.security.internal;

import java.util.Optional;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

public interface UserRepository extends ListCrudRepository<UserRow, Long> {

	Optional<UserRow> findByUsername(String username);

	/**
	 * Forgets every browser the user was remembered in (remember-me tokens, on every
	 * node): after a password reset or a disable, a remembered cookie must not sign
	 * anyone in.
	 */
	@Modifying
	@Query("delete from remember_me_token where username = :username")
	int forgetRememberedBrowsers(String username);

}
