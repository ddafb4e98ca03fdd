package dev.streamchat.chat.internal;

import java.util.List;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

public interface PaneRepository extends ListCrudRepository<PaneRow, Long> {

    List<PaneRow> findByOpenTrueOrderByPositionAscIdAsc();

    @Query("select coalesce(max(position), 0) from pane")
    int maxPosition();
}
