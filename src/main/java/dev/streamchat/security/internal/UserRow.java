package dev.streamchat.security.internal;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * {@code passwordHash} null: an account made by single sign-on, which has no password.
 */
@Table("app_user")
public record UserRow(@Id @Nullable Long id, String username, @Nullable String passwordHash, Instant createdAt,
		String role, boolean enabled) {

	/**
	 * The id of a stored row (read, or returned by save); only a row not inserted yet has
	 * none.
	 */
	public long storedId() {
		return Objects.requireNonNull(id, "the row is not stored yet");
	}
}
