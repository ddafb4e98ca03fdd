package dev.streamchat.chat;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.streamchat.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conversations stored before messages had parents (V5) become trees that show exactly
 * what they showed before: regenerated answers are versions, and a failed attempt that
 * was retried is the earlier version of its answer.
 */
class MessageTreeMigrationTest {

	record Row(long id, @Nullable Long parentId, boolean replaced, boolean superseded) {
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void oldConversationsBecomeTreesShowingWhatTheyShowedBefore(String database) {
		DataSource data = database.equals("h2")
				? new DriverManagerDataSource("jdbc:h2:mem:migration;DB_CLOSE_DELAY=-1", "sa", "")
				: new DriverManagerDataSource(TestPostgres.shared().createDatabase(), TestPostgres.USER, "");
		Flyway.configure().dataSource(data).target("4").load().migrate();
		JdbcClient jdbc = JdbcClient.create(data);
		jdbc.sql(
				"insert into pane (id, title, model, position, open, created_at) values (1, 'p', 'm', 1, true, current_timestamp)")
			.update();
		// prompt, regenerated answer (1 superseded, 1 chosen), prompt, failed answer, its
		// retry, prompt, answer
		Object[][] rows = { { 1, "USER", false }, { 2, "ASSISTANT", true }, { 3, "ASSISTANT", false },
				{ 4, "USER", false }, { 5, "ASSISTANT", false }, { 6, "ASSISTANT", false }, { 7, "USER", false },
				{ 8, "ASSISTANT", false } };
		for (Object[] row : rows) {
			jdbc.sql("""
					insert into message (id, pane_id, role, content, status, created_at, superseded)
					values (:id, 1, :role, 'text', 'COMPLETE', current_timestamp, :superseded)""")
				.params(Map.of("id", row[0], "role", row[1], "superseded", row[2]))
				.update();
		}

		Flyway.configure().dataSource(data).load().migrate();

		List<Row> migrated = jdbc.sql("select id, parent_id, replaced, superseded from message order by id")
			.query(Row.class)
			.list();
		assertThat(migrated).containsExactly(new Row(1, null, false, false), new Row(2, 1L, true, true),
				new Row(3, 1L, false, false), new Row(4, 3L, false, false), new Row(5, 4L, true, true),
				new Row(6, 4L, false, false), new Row(7, 6L, false, false), new Row(8, 7L, false, false));
	}

}
