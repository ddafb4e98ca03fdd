package dev.streamchat.security.internal;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table("app_user")
public record UserRow(@Id Long id, String username, String passwordHash, Instant createdAt, String role, boolean enabled) {
}
