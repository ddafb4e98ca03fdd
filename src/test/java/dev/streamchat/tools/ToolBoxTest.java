package dev.streamchat.tools;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.streamchat.chat.ConversationId;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.SlowTool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Running tools: results, failures and timeouts all end as something the model can be
 * told.
 */
class ToolBoxTest {

	final SlowTool slow = new SlowTool();

	final ToolBox tools = new ToolBox(List.of(slow), new ToolProperties(true, 5, Duration.ofMillis(300)));

	final ToolContext context = new ToolContext(new UserId(1), new ConversationId(1));

	@Test
	void aResultComesBackAsTheToolReturnedIt() {
		ToolResult result = tools.start(new ToolCall(null, SlowTool.NAME, Map.of("millis", 1)), context).await();

		assertThat(result.failed()).isFalse();
		assertThat(result.response()).containsEntry("found", "42 widgets");
	}

	@Test
	void anExceptionBecomesAnErrorForTheModel() {
		ToolResult result = tools.start(new ToolCall(null, SlowTool.NAME, Map.of("fail", true)), context).await();

		assertThat(result.failed()).isTrue();
		assertThat(result.response()).containsEntry("error", "lookup service down");
	}

	@Test
	void aToolThatOverrunsItsTimeoutFailsInTimeAndIsInterrupted() {
		ToolResult result = tools.start(new ToolCall(null, SlowTool.NAME, Map.of("millis", 60_000)), context).await();

		assertThat(result.error()).isEqualTo("timed out after 300 ms");
		// the call's thread is interrupted, not left running for its minute
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.interruptions() == 1);
	}

	@Test
	void parallelCallsRunAtTheSameTime() {
		var first = tools.start(new ToolCall(null, SlowTool.NAME, Map.of("millis", 200)), context);
		var second = tools.start(new ToolCall(null, SlowTool.NAME, Map.of("millis", 200)), context);

		assertThat(first.await().failed()).isFalse();
		assertThat(second.await().failed()).isFalse();
		// one after the other, the second would start only after the first had ended
		assertThat(slow.mostAtOnce()).isEqualTo(2);
	}

	@Test
	void anUnknownToolIsAnErrorNotACrash() {
		ToolResult result = tools.start(new ToolCall(null, "no_such_tool", Map.of()), context).await();

		assertThat(result.error()).contains("no tool named \"no_such_tool\"");
	}

	@Test
	void switchedOffToolsAreNotDeclared() {
		ToolBox off = new ToolBox(List.of(new SlowTool()), new ToolProperties(false, 5, Duration.ofSeconds(1)));

		assertThat(off.specs()).isEmpty();
		assertThat(tools.specs()).extracting(s -> s.name()).containsExactly(SlowTool.NAME);
	}

}
