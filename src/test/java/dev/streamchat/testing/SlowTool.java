package dev.streamchat.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.streamchat.model.ToolSpec;
import dev.streamchat.tools.LocalTool;
import dev.streamchat.tools.ToolContext;

/**
 * A tool that takes as long as it is told ({@code millis}), or until a test opens its
 * {@code gate}, and fails when told ({@code fail}), so tests can watch a call run, fail,
 * and overrun the (test) timeout of 1.5 s. A gate makes "while it runs" a state the test
 * holds, not a window it has to catch on a loaded machine.
 */
public class SlowTool implements LocalTool {

	public static final String NAME = "slow_lookup";

	private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

	private static final AtomicInteger GATE_KEYS = new AtomicInteger();

	/** A call given {@code gate: key()} runs until {@link #open()} (or its timeout). */
	public record Gate(String key) {

		public void open() {
			GATES.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
		}

	}

	public static Gate newGate() {
		String key = "gate-" + GATE_KEYS.incrementAndGet();
		GATES.put(key, new CountDownLatch(1));
		return new Gate(key);
	}

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicInteger mostAtOnce = new AtomicInteger();

	private final AtomicInteger interrupted = new AtomicInteger();

	/**
	 * Calls that were interrupted while they waited (a timeout or a stop cancelled them).
	 */
	public int interruptions() {
		return interrupted.get();
	}

	/** The most calls that were running at the same moment. */
	public int mostAtOnce() {
		return mostAtOnce.get();
	}

	@Override
	public ToolSpec spec() {
		return new ToolSpec(NAME, "A lookup that takes a while (tests only).", Map.of("type", "object", "properties",
				Map.of("millis", Map.of("type", "integer"), "fail", Map.of("type", "boolean")), "required", List.of()));
	}

	@Override
	public Map<String, Object> run(Map<String, Object> args, ToolContext context) throws InterruptedException {
		long millis = args.get("millis") instanceof Number n ? n.longValue() : 0;
		mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
		try {
			// taking time is the point of this tool (it stands for a slow service); the
			// timeout interrupts it
			if (args.get("gate") instanceof String key) {
				GATES.computeIfAbsent(key, k -> new CountDownLatch(1)).await();
			}
			else {
				new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException e) {
			interrupted.incrementAndGet();
			throw e;
		}
		finally {
			running.decrementAndGet();
		}
		if (Boolean.TRUE.equals(args.get("fail"))) {
			throw new IllegalStateException("lookup service down");
		}
		return Map.of("found", "42 widgets", "took_ms", millis);
	}

}
