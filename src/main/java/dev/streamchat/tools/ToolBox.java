package dev.streamchat.tools;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import dev.streamchat.model.ToolSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The local tools the model may call. Each call runs on its own virtual thread as soon as
 * the model asks for it, so parallel calls run in parallel; a call that throws or
 * overruns the timeout ends as an error the model is told about, never as a failed
 * answer.
 */
@Service
public class ToolBox {

	private static final Logger log = LoggerFactory.getLogger(ToolBox.class);

	private final Map<String, LocalTool> tools = new LinkedHashMap<>();

	private final ToolProperties properties;

	public ToolBox(List<LocalTool> tools, ToolProperties properties) {
		tools.forEach(tool -> this.tools.put(tool.spec().name(), tool));
		this.properties = properties;
	}

	/** What to declare to the model; empty when tools are switched off. */
	public List<ToolSpec> specs() {
		return properties.enabled() ? tools.values().stream().map(LocalTool::spec).toList() : List.of();
	}

	public int maxRounds() {
		return properties.maxRounds();
	}

	/** Starts a call at once; {@link Running#await()} gives its result. */
	public Running start(ToolCall call, ToolContext context) {
		LocalTool tool = tools.get(call.name());
		FutureTask<Map<String, Object>> task = new FutureTask<>(() -> {
			if (tool == null) {
				throw new IllegalArgumentException("there is no tool named \"" + call.name() + "\"");
			}
			return tool.run(call.args(), context);
		});
		Thread.ofVirtual().name("tool-" + call.name()).start(task);
		return new Running(call, task, System.nanoTime() + properties.timeout().toNanos(), properties.timeout());
	}

	/** A tool call under way. */
	public static final class Running {

		private final ToolCall call;

		private final FutureTask<Map<String, Object>> task;

		private final long deadlineNanos;

		private final Duration timeout;

		private Running(ToolCall call, FutureTask<Map<String, Object>> task, long deadlineNanos, Duration timeout) {
			this.call = call;
			this.task = task;
			this.deadlineNanos = deadlineNanos;
			this.timeout = timeout;
		}

		public ToolCall call() {
			return call;
		}

		/** Waits for the result until the call's deadline; never throws. */
		public ToolResult await() {
			try {
				Map<String, Object> result = task.get(Math.max(0, deadlineNanos - System.nanoTime()),
						TimeUnit.NANOSECONDS);
				return ToolResult.ok(call, result == null ? Map.of() : result);
			}
			catch (TimeoutException e) {
				task.cancel(true);
				return ToolResult.failed(call, "timed out after " + seconds(timeout));
			}
			catch (ExecutionException e) {
				// get() always wraps the task's own failure
				Throwable cause = Objects.requireNonNull(e.getCause());
				// the model is told and usually recovers: a line is enough, not a stack
				// trace
				log.info("Tool {} failed: {}", call.name(), cause.toString());
				return ToolResult.failed(call,
						cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
			}
			catch (CancellationException e) {
				return ToolResult.failed(call, "cancelled");
			}
			catch (InterruptedException e) {
				task.cancel(true);
				Thread.currentThread().interrupt();
				return ToolResult.failed(call, "cancelled");
			}
		}

		/** Abandons the call (the answer was stopped). */
		public void cancel() {
			task.cancel(true);
		}

		private static String seconds(Duration d) {
			return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
		}

	}

}
