package dev.streamchat.tools;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.streamchat.chat.PaneId;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import dev.streamchat.testing.SlowTool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Running tools: results, failures and timeouts all end as something the model can be told. */
class ToolBoxTest {

    final ToolBox tools = new ToolBox(List.of(new SlowTool()), new ToolProperties(true, 5, Duration.ofMillis(300)));
    final ToolContext context = new ToolContext(new dev.streamchat.security.UserId(1), new PaneId(1));

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
        long start = System.nanoTime();
        ToolResult result = tools.start(new ToolCall(null, SlowTool.NAME, Map.of("millis", 60_000)), context).await();

        assertThat(result.error()).isEqualTo("timed out after 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void parallelCallsRunAtTheSameTime() {
        long start = System.nanoTime();
        var first = tools.start(new ToolCall(null, SlowTool.NAME, Map.of("millis", 200)), context);
        var second = tools.start(new ToolCall(null, SlowTool.NAME, Map.of("millis", 200)), context);

        assertThat(first.await().failed()).isFalse();
        assertThat(second.await().failed()).isFalse();
        // one after the other would take 400 ms at least
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(390));
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
