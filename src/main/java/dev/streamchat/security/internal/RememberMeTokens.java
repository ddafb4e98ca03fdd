package dev.streamchat.security.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.authentication.rememberme.PersistentRememberMeToken;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;
import org.springframework.stereotype.Component;

/**
 * Remember-me tokens in the database (table {@code remember_me_token}), so every node
 * knows every browser's. A renewal keeps the token it replaces, and when, for
 * {@link RenewingRememberMeServices}.
 */
@Component
class RememberMeTokens implements PersistentTokenRepository {

	/** A series as stored, with the token it had before its last renewal. */
	record Stored(String series, String username, String token, Instant lastUsed, @Nullable String previousToken,
			@Nullable Instant rotatedAt) {
	}

	private final JdbcClient jdbc;

	RememberMeTokens(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void createNewToken(PersistentRememberMeToken token) {
		jdbc.sql(
				"insert into remember_me_token (series, username, token, last_used) values (:series, :username, :token, :at)")
			.param("series", token.getSeries())
			.param("username", token.getUsername())
			.param("token", token.getTokenValue())
			.param("at", Timestamp.from(token.getDate().toInstant()))
			.update();
	}

	@Override
	public void updateToken(String series, String tokenValue, Date lastUsed) {
		// the right-hand sides read the row as it was: the old token becomes the previous
		// one
		jdbc.sql("""
				update remember_me_token set previous_token = token, token = :token, last_used = :at, rotated_at = :at
				where series = :series""")
			.param("series", series)
			.param("token", tokenValue)
			.param("at", Timestamp.from(lastUsed.toInstant()))
			.update();
	}

	@Override
	public @Nullable PersistentRememberMeToken getTokenForSeries(String seriesId) {
		return find(seriesId)
			.map(s -> new PersistentRememberMeToken(s.username(), s.series(), s.token(), Date.from(s.lastUsed())))
			.orElse(null);
	}

	Optional<Stored> find(String series) {
		return jdbc.sql(
				"select series, username, token, last_used, previous_token, rotated_at from remember_me_token where series = :series")
			.param("series", series)
			.query((rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3),
					rs.getTimestamp(4).toInstant(), rs.getString(5),
					rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()))
			.optional();
	}

	@Override
	public void removeUserTokens(String username) {
		jdbc.sql("delete from remember_me_token where username = :username").param("username", username).update();
	}

	/**
	 * Tokens unused for longer than their validity: they can never sign anyone in again.
	 */
	int removeUnusedSince(Instant cutoff) {
		return jdbc.sql("delete from remember_me_token where last_used < :cutoff")
			.param("cutoff", Timestamp.from(cutoff))
			.update();
	}

}
