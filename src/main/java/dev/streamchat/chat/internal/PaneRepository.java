package dev.streamchat.chat.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

public interface PaneRepository extends ListCrudRepository<PaneRow, Long> {

    List<PaneRow> findByOwnerIdAndOpenTrueOrderByPositionAscIdAsc(long ownerId);

    Optional<PaneRow> findByIdAndOwnerId(long id, long ownerId);

    @Query("select coalesce(max(position), 0) from pane where owner_id = :ownerId")
    int maxPosition(long ownerId);
}
