package dev.streamchat.security.internal;

import java.util.Optional;

import org.springframework.data.repository.ListCrudRepository;

public interface UserRepository extends ListCrudRepository<UserRow, Long> {

	Optional<UserRow> findByUsername(String username);

}
