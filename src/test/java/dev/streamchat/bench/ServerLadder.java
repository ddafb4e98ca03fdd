package dev.streamchat.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamchat.testing.FakeGemini.Reply;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * Scenario 7, "scale past the browser" (issue 15): a concurrency ladder (100, 300, 1 000
 * streams by default) in which every stream reaches a live Vaadin UI on the server and
 * goes out through its push connection, received by {@link PushTab}s (websocket clients
 * speaking Vaadin's push protocol, no browser). Each tab is a session and user of its own
 * with {@value #PANES_PER_TAB} panes, as in scenario 6. Per step: token→push latency (the
 * fake wrote a chunk → its marker arrived in a push message), the app's own update→push
 * histogram, the app's CPU per 1 000 tokens, heap per stream, and whether every tab ends
 * showing every stream's whole text.
 */
final class ServerLadder {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int PANES_PER_TAB = Integer.getInteger("bench.s7.panesPerTab", 5);

	/** 20 chunks/s of ~40 tokens (160 characters), as scenarios 1 and 4. */
	private static final int CHUNKS = Integer.getInteger("bench.s7.chunks", 100);

	private static final int CHUNK_CHARS = 160;

	/**
	 * 50 ms: 800 tokens/s per stream, several times the pace of Gemini's fast models;
	 * {@code -Dbench.s7.chunkEveryMs=200} gives 200 tokens/s, about Gemini Flash's.
	 */
	private static final Duration CHUNK_EVERY = Duration.ofMillis(Integer.getInteger("bench.s7.chunkEveryMs", 50));

	private static final double P99_TARGET_MS = 100;

	private final StreamingBenchmark bench;

	private final AppProcess app;

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(30))
		.build();

	private final List<PushTab> tabs = new ArrayList<>();

	private final List<String> panes = new ArrayList<>();

	ServerLadder(StreamingBenchmark bench, AppProcess app) {
		this.bench = bench;
		this.app = app;
	}

	Map<String, Object> run() throws Exception {
		int[] ladder = Arrays.stream(System.getProperty("bench.s7.ladder", "100,300,1000").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		long heapBase = Long.parseLong(app.control("/heap", Map.of()));
		List<Map<String, Object>> steps = new ArrayList<>();
		Integer knee = null;
		try {
			for (int target : ladder) {
				Map<String, Object> step = step(target, heapBase);
				steps.add(step);
				if (knee == null && ((double) requireNonNull(step.get("p99")) > P99_TARGET_MS
						|| (long) requireNonNull(step.get("errors")) > 0)) {
					knee = target;
				}
			}
		}
		finally {
			tabs.forEach(PushTab::close);
		}
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("panesPerTab", PANES_PER_TAB);
		r.put("chunksPerStream", CHUNKS);
		r.put("chunkEveryMs", CHUNK_EVERY.toMillis());
		r.put("steps", steps);
		r.put("kneeAt", knee);
		return r;
	}

	/** Opens tabs (8 at a time) until {@code target} panes are shown live. */
	private void openTabs(int target) throws Exception {
		Semaphore parallel = new Semaphore(8);
		List<Future<String>> opened = new ArrayList<>();
		List<PushTab> added = new ArrayList<>();
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int k = tabs.size(); k * PANES_PER_TAB < target; k++) {
				String user = "s7-" + app.strategy + "-" + k;
				PushTab tab = new PushTab(http, "http://127.0.0.1:" + app.port);
				added.add(tab);
				opened.add(executor.submit(() -> {
					parallel.acquire();
					try {
						String ids = app.control("/panes",
								Map.of("count", Integer.toString(PANES_PER_TAB), "user", user));
						tab.open(user, AppProcess.PASSWORD);
						return ids;
					}
					finally {
						parallel.release();
					}
				}));
			}
			for (Future<String> f : opened) {
				panes.addAll(Arrays.asList(f.get().split(",")));
			}
		}
		tabs.addAll(added);
	}

	private Map<String, Object> step(int target, long heapBase) throws Exception {
		StreamingBenchmark.log("scenario 7: %d streams to push clients · %s".formatted(target, app.strategy));
		long openStart = System.nanoTime();
		openTabs(target);
		double openSeconds = (System.nanoTime() - openStart) / 1e9;
		app.control("/open", Map.of("ids", String.join(",", panes)));
		String prompt = "s7-" + bench.nextStream();
		List<Integer> ids = new ArrayList<>();
		Map<Integer, String> expected = new HashMap<>();
		for (int i = 0; i < target; i++) {
			int s = bench.nextStream();
			ids.add(s);
			List<String> chunks = Scripts.markedChunks(s, CHUNKS, CHUNK_CHARS, 4);
			// the app drops NUL characters (ModelChunk.withoutNul); markedChunks pads
			// short chunks with them
			expected.put(i, String.join("", chunks).replace("\0", "").replaceAll("\\s+", ""));
			bench.fake().when(prompt + "#" + i, Reply.chunks(chunks).every(CHUNK_EVERY));
		}
		String loadBefore = StreamingBenchmark.loadAverageNow();
		double cpuBefore = app.cpuSeconds();
		long[] machineBefore = ProcFs.machineJiffies();
		long pushesBefore = tabs.stream().mapToLong(t -> t.pushes.get()).sum();
		long charsBefore = tabs.stream().mapToLong(t -> t.pushChars.get()).sum();
		JsonNode pushBefore = JSON.readTree(app.control("/push-latency", Map.of()));
		long start = System.nanoTime();
		String replies = app.control("/send",
				Map.of("panes", String.join(",", panes.subList(0, target)), "prompt", prompt));
		String statuses = bench.awaitReplies(app, replies);
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpu = app.cpuSeconds() - cpuBefore;
		long[] machineAfter = ProcFs.machineJiffies();
		String loadAfter = StreamingBenchmark.loadAverageNow();
		JsonNode pushAfter = JSON.readTree(app.control("/push-latency", Map.of()));
		Set<String> prefixes = new HashSet<>();
		ids.forEach(s -> prefixes.add(s + "."));
		long expectedMarkers = (long) target * CHUNKS;
		// the last pushes may still be on their way when the statuses say ended
		List<Double> samples = new ArrayList<>();
		try {
			Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
				samples.clear();
				tabs.forEach(t -> samples.addAll(t.latencies(prefixes, bench::writtenAt)));
				return samples.size() >= expectedMarkers;
			});
		}
		catch (ConditionTimeoutException someNeverArrived) {
			// counted as missing below
		}
		// the text each tab ends with: every stream's whole answer (whitespace aside,
		// which markdown renders as it likes)
		int lost = 0;
		List<String> lostExamples = new ArrayList<>();
		for (int i = 0; i < target; i++) {
			String shown = tabs.get(i / PANES_PER_TAB).text().replaceAll("\\s+", "");
			if (!shown.contains(requireNonNull(expected.get(i)))) {
				lost++;
				if (lostExamples.size() < 3) {
					PushTab tab = tabs.get(i / PANES_PER_TAB);
					lostExamples.add("stream " + ids.get(i) + " (tab " + i / PANES_PER_TAB + ", closed: " + tab.closed
							+ ", failure: " + tab.failure + "): " + diff(requireNonNull(expected.get(i)), shown));
				}
			}
		}
		long heap = Long.parseLong(app.control("/heap", Map.of()));
		long failed = Arrays.stream(statuses.split(",")).filter(st -> !st.equals("COMPLETE")).count();
		StreamingBenchmark.Latencies lat = new StreamingBenchmark.Latencies(samples, expectedMarkers - samples.size());
		double tokens = target * (double) CHUNKS * CHUNK_CHARS / 4;
		Map<String, Object> r = new LinkedHashMap<>(lat.summary());
		r.put("streams", target);
		r.put("tabs", (target + PANES_PER_TAB - 1) / PANES_PER_TAB);
		r.put("serverPushP50", StreamingBenchmark.histogramPercentile(pushBefore, pushAfter, 0.50));
		r.put("serverPushP99", StreamingBenchmark.histogramPercentile(pushBefore, pushAfter, 0.99));
		r.put("cpuMsPer1000Tokens", cpu * 1000 / (tokens / 1000));
		r.put("serverCpuPercentOfMachine", 100 * cpu / (seconds * Runtime.getRuntime().availableProcessors()));
		r.put("machineBusyPercent",
				100.0 * (machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1]));
		r.put("heapPerStreamBytes", (heap - heapBase) / (double) target);
		r.put("pushes", tabs.stream().mapToLong(t -> t.pushes.get()).sum() - pushesBefore);
		r.put("pushChars", tabs.stream().mapToLong(t -> t.pushChars.get()).sum() - charsBefore);
		r.put("failedReplies", failed);
		r.put("tabsClosedOrFailed", tabs.stream().filter(t -> t.closed != null || t.failure != null).count());
		r.put("streamsLosingText", lost);
		r.put("lostExamples", lostExamples);
		r.put("errors", failed + lost + lat.missing);
		r.put("seconds", seconds);
		r.put("tabsOpenSeconds", openSeconds);
		r.put("loadAverageBefore", loadBefore);
		r.put("loadAverageAfter", loadAfter);
		StreamingBenchmark.log(
				"  %d streams: token→push p50 %.1f, p99 %.1f ms; server push p50 %.0f, p99 %.0f ms; %.0f CPU ms / 1000 tokens; %.0f KB heap / stream; %d lost, %d missing markers, %d failed; load %s"
					.formatted(target, lat.p(50), lat.p(99), r.get("serverPushP50"), r.get("serverPushP99"),
							r.get("cpuMsPer1000Tokens"), (heap - heapBase) / 1024.0 / target, lost, lat.missing, failed,
							loadAfter));
		return r;
	}

	/** Where two texts part, for the report. */
	private static String diff(String expected, String shown) {
		String head = expected.substring(0, Math.min(24, expected.length()));
		int at = shown.indexOf(head);
		if (at < 0) {
			return "start not shown";
		}
		int i = 0;
		while (i < expected.length() && at + i < shown.length() && expected.charAt(i) == shown.charAt(at + i)) {
			i++;
		}
		return "differs at " + i + " of " + expected.length() + ": expected …"
				+ expected.substring(i, Math.min(expected.length(), i + 30)) + "… shown …"
				+ shown.substring(at + i, Math.min(shown.length(), at + i + 30)) + "…";
	}

}
