package dev.streamchat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamchat.bench.app.BenchHooks;
import dev.streamchat.bench.minimal.MinimalChat;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * End-to-end streaming benchmark: the packaged app (child JVM, H2 file database), the
 * fake Gemini (this JVM) and one headless Chromium with several tabs. Runs every scenario
 * with our streaming path, then again with the seed plan's naive loop, and writes
 * {@code target/bench/results.json}, {@code results.md} and {@code latency.svg}.
 * <p>
 * Run with {@code ./mvnw -Pbench verify} (see the README's Benchmark section).
 */
public final class StreamingBenchmark {

	private static final Pattern MARKER = Pattern.compile("zq(\\d+)x(\\d+)k");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int[] LADDER = { 1, 10, 25, 50, 100, 200 };

	private static final int PANES_PER_TAB = 5;

	private static final double LADDER_P99_LIMIT_MS = 250;

	private final FakeGemini fake;

	private final BrowserTabs browser;

	private final Path out;

	/** The packaged app's jar: the start-up rows start it afresh. */
	private final Path jar;

	/** marker "stream.seq" → epoch ms the fake wrote the chunk that completes it */
	private final Map<String, Double> written = new ConcurrentHashMap<>();

	private final AtomicInteger streams = new AtomicInteger();

	private volatile Consumer<String> onWrite = this::stampMarkers;

	private StreamingBenchmark(FakeGemini fake, BrowserTabs browser, Path out, Path jar) {
		this.fake = fake;
		this.browser = browser;
		this.out = out;
		this.jar = jar;
	}

	public static void main(String[] args) throws Exception {
		Path target = Path.of(args.length > 0 ? args[0] : "target");
		List<String> scenarios = Arrays.asList(System.getProperty("bench.scenarios", "s1,s2,s3,s4,s5,s6").split(","));
		if (scenarios.contains("s10")) {
			// its own nodes (two, over PostgreSQL, behind HAProxy), fake and browsers
			log("scenario 10: rolling restart and kill -9 of two nodes with 20 replies streaming");
			ContinuationBenchmark.run(target.resolve("bench"));
			if (scenarios.size() == 1) {
				System.exit(0);
			}
		}
		Path jar;
		try (Stream<Path> files = Files.list(target)) {
			jar = files.filter(p -> p.getFileName().toString().matches("streamchat-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no app jar in " + target + ": run ./mvnw package first"));
		}
		Path out = target.resolve("bench");
		Path hooks = copyPackage(BenchHooks.class, out.resolve("hooks"));
		copyPackage(MinimalChat.class, out.resolve("minimal"));
		long started = System.nanoTime();
		Map<String, Object> results = new LinkedHashMap<>();
		try (FakeGemini fake = FakeGemini.start(); BrowserTabs browser = new BrowserTabs()) {
			StreamingBenchmark bench = new StreamingBenchmark(fake, browser, out, jar);
			fake.eventLog(text -> bench.onWrite.accept(text));
			results.put("machine", ProcFs.machine() + ", Chromium " + browser.browserVersion());
			results.put("date", Instant.now().toString());
			results.put("database", System.getProperty("bench.db", "h2"));
			// both apps run side by side and take turns scenario by scenario, so a change
			// in the machine's load (it is shared) hits both alike; -Dbench.strategies /
			// -Dbench.scenarios narrow a run down while investigating
			List<AppProcess> apps = new ArrayList<>();
			try {
				List<String> hosts = List.of("localhost", "127.0.0.1");
				for (String strategy : System.getProperty("bench.strategies", "ours,naive,minimal").split(",")) {
					log("starting the app, strategy " + strategy);
					apps.add(AppProcess.start(jar, hooks, strategy, hosts.get(apps.size()), fake.baseUrl(), out));
				}
				results.put("loadAverageAtStart", loadAverage());
				Map<String, Map<String, Object>> byStrategy = bench.runAll(apps);
				results.put("loadAverageAtEnd", loadAverage());
				results.putAll(byStrategy);
			}
			finally {
				for (AppProcess app : apps) {
					app.close();
				}
			}
		}
		results.put("elapsedSeconds", (System.nanoTime() - started) / 1e9);
		Report.write(results, out);
		log("done in %.0f s: %s".formatted((System.nanoTime() - started) / 1e9, out.resolve("results.md")));
		System.exit(0);
	}

	/**
	 * The package of {@code type} (the app-side hooks, or the minimal app), alone in a
	 * directory, so the app's classpath gains nothing else from the tests.
	 */
	private static Path copyPackage(Class<?> type, Path dir) throws Exception {
		Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
		Path pkg = Path.of(type.getPackageName().replace('.', '/'));
		Files.createDirectories(dir.resolve(pkg));
		try (Stream<Path> files = Files.list(classes.resolve(pkg))) {
			for (Path f : files.toList()) {
				Files.copy(f, dir.resolve(pkg).resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		return dir;
	}

	private interface Scenario {

		Map<String, Object> run(AppProcess app) throws Exception;

	}

	private Map<String, Map<String, Object>> runAll(List<AppProcess> apps) throws Exception {
		Map<String, Map<String, Object>> results = new LinkedHashMap<>();
		for (AppProcess app : apps) {
			results.put(app.strategy, new LinkedHashMap<>());
			warmUp(app);
		}
		// the minimal app has no storage and no control server: it takes part in the
		// rows a user sees through the browser (s3, s3r, s8, s9)
		List<AppProcess> all = apps;
		apps = all.stream().filter(app -> !app.minimal()).toList();
		Map<String, Scenario> scenarios = new LinkedHashMap<>();
		scenarios.put("s2", this::fastModel);
		scenarios.put("s3", app -> longAnswer(app, false));
		scenarios.put("s3r", app -> longAnswer(app, true));
		// s3 with text that compresses as prose does: the disk row without the flattery
		// of s3's repeated sentence on storage that compresses
		scenarios.put("s3v", app -> longAnswer(app, Scripts::variedChunks, " with varied words", "s3v"));
		List<String> only = Arrays
			.asList(System.getProperty("bench.scenarios", "s1,s2,s3,s4,s5,s6,s7,s8,s9").split(","));
		if (only.contains("s8")) {
			enterToRequest(all, results);
		}
		if (only.contains("s1")) {
			oneStreamRounds(apps, results);
		}
		for (var scenario : scenarios.entrySet()) {
			if (!only.contains(scenario.getKey())) {
				continue;
			}
			for (AppProcess app : scenario.getKey().startsWith("s3") ? all : apps) {
				log(scenario.getKey() + " · " + app.strategy);
				requireNonNull(results.get(app.strategy)).put(scenario.getKey(), scenario.getValue().run(app));
				browser.closeAll();
			}
		}
		if (only.contains("s4")) {
			ladders(apps, results, "s4", false);
		}
		if (only.contains("s6")) {
			ladders(apps, results, "s6", true);
		}
		if (only.contains("s5")) {
			for (AppProcess app : apps) {
				requireNonNull(results.get(app.strategy)).put("s5", memory(app));
				browser.closeAll();
			}
		}
		if (only.contains("s7")) {
			// the seed plan's loop stores every chunk by rewriting the whole reply: at
			// hundreds of streams it measures only that
			// (-Dbench.s7.strategies=ours,naive)
			List<String> s7 = Arrays.asList(System.getProperty("bench.s7.strategies", "ours").split(","));
			for (AppProcess app : apps) {
				if (s7.contains(app.strategy)) {
					requireNonNull(results.get(app.strategy)).put("s7", new ServerLadder(this, app).run());
				}
			}
		}
		if (only.contains("s9")) {
			startUp(all, results);
		}
		return results;
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).strip();
		}
		catch (IOException e) {
			return "?";
		}
	}

	// ---- scenarios

	/**
	 * A few short replies, so class loading and JIT warm-up do not land in scenario 1.
	 */
	private void warmUp(AppProcess app) throws Exception {
		if (app.minimal()) {
			String tab = browser.openMinimal(app.baseUrl());
			for (int i = 0; i < 2; i++) {
				int s = streams.incrementAndGet();
				fake.when("warm-" + s, Reply.chunks(Scripts.markedChunks(s, 60, 160, 4)).every(Duration.ofMillis(10)));
				browser.send(tab, BrowserTabs.MINIMAL_PROMPT, "warm-" + s);
				awaitWritten(s, 60);
				latencies(List.of(tab), List.of(s));
			}
			browser.closeAll();
			return;
		}
		String panes = app.control("/panes", Map.of("count", "2"));
		browser.open(app.baseUrl(), 2);
		int s = streams.incrementAndGet();
		for (int i = 0; i < 2; i++) {
			fake.when("warm-" + s + "#" + i, Reply.chunks(Scripts.markedChunks(streams.incrementAndGet(), 60, 160, 4))
				.every(Duration.ofMillis(10)));
		}
		awaitDone(app, app.control("/send", Map.of("panes", panes, "prompt", "warm-" + s)));
		browser.closeAll();
	}

	/**
	 * Round {@code round} of scenario 1 in one app: 150 chunks (7.5 s); the rounds go
	 * ours, naive, naive, ours.
	 */
	private Latencies oneStream(AppProcess app, int round) throws Exception {
		log("scenario 1: one stream, 20 chunks/s of ~40 tokens (round %d)".formatted(round));
		String pane = app.control("/panes", Map.of("count", "1"));
		String tab = browser.open(app.baseUrl(), 1);
		int s = streams.incrementAndGet();
		fake.when("s1-" + s,
				Reply.chunks(Scripts.markedChunks(s, 150, 160, 4))
					.after(Duration.ofMillis(200))
					.every(Duration.ofMillis(50)));
		browser.reset(tab);
		awaitDone(app, app.control("/send", Map.of("panes", pane, "prompt", "s1-" + s)));
		Latencies lat = latencies(List.of(tab), List.of(s));
		browser.closeAll();
		return lat;
	}

	/**
	 * Scenario 1 in two rounds per app, in A-B-B-A order, so a drift in the machine's
	 * load evens out.
	 */
	private void oneStreamRounds(List<AppProcess> apps, Map<String, Map<String, Object>> results) throws Exception {
		List<AppProcess> order = new ArrayList<>(apps);
		order.addAll(apps.reversed());
		Map<String, List<Latencies>> rounds = new LinkedHashMap<>();
		for (AppProcess app : order) {
			rounds.computeIfAbsent(app.strategy, k -> new ArrayList<>())
				.add(oneStream(app, rounds.get(app.strategy).size() + 1));
		}
		rounds.forEach((strategy, list) -> {
			Map<String, Object> r = new LinkedHashMap<>(Latencies.merge(list).summary());
			r.put("p99ByRound", list.stream().map(l -> l.p(99)).toList());
			requireNonNull(results.get(strategy)).put("s1", r);
		});
	}

	private Map<String, Object> fastModel(AppProcess app) throws Exception {
		log("scenario 2: 2 000 chunks of 1-3 characters in ~4 s");
		String pane = app.control("/panes", Map.of("count", "1"));
		String tab = browser.open(app.baseUrl(), 1);
		int s = streams.incrementAndGet();
		Scripts.Tiny tiny = Scripts.tiny(s, 2_000);
		fake.when("s2-" + s, Reply.chunks(tiny.chunks()).after(Duration.ofMillis(300)).every(Duration.ofMillis(2)));
		AtomicInteger index = new AtomicInteger();
		Map<Integer, List<String>> completes = new LinkedHashMap<>();
		for (int i = 0; i < tiny.markers().size(); i++) {
			completes.computeIfAbsent(tiny.completedBy().get(i), k -> new ArrayList<>()).add(s + "." + i);
		}
		List<Double> times = new ArrayList<>();
		onWrite = text -> {
			double now = nowMillis();
			int i = index.getAndIncrement();
			if (i == 0 || i == tiny.chunks().size() - 1) {
				synchronized (times) {
					times.add(now);
				}
			}
			for (String key : completes.getOrDefault(i, List.of())) {
				written.put(key, now);
			}
		};
		browser.reset(tab);
		String reply = app.control("/send", Map.of("panes", pane, "prompt", "s2-" + s));
		JsonNode before = JSON.readTree(app.control("/stats", Map.of()));
		awaitDone(app, reply);
		JsonNode after = JSON.readTree(app.control("/stats", Map.of()));
		onWrite = this::stampMarkers;
		Latencies lat = latencies(List.of(tab), List.of(s));
		JsonNode probe = browser.read(tab);
		Map<String, Object> r = new LinkedHashMap<>(lat.summary());
		r.put("chunks", tiny.chunks().size());
		r.put("answerSeconds", (times.get(times.size() - 1) - times.get(0)) / 1000.0);
		Map<String, Long> statements = delta(before.path("statements"), after.path("statements"));
		r.put("statements", statements.values().stream().mapToLong(Long::longValue).sum());
		r.put("statementsByKind", statements);
		r.put("pushes", probe.path("pushes").asLong());
		r.put("pushBytes", probe.path("pushBytes").asLong());
		browser.closeAll();
		return r;
	}

	/**
	 * @param rich with math and a highlighted code block every tenth chunk
	 * ({@link Scripts#richChunks})
	 */
	private Map<String, Object> longAnswer(AppProcess app, boolean rich) throws Exception {
		return rich ? longAnswer(app, Scripts::richChunks, " with code and math", "s3r")
				: longAnswer(app, Scripts::markedChunks, "", "s3");
	}

	/** How a scenario's answer is made: stream, chunks, characters, paragraph length. */
	private interface AnswerText {

		List<String> chunks(int stream, int count, int chars, int paragraphEvery);

	}

	private Map<String, Object> longAnswer(AppProcess app, AnswerText text, String what, String scenario)
			throws Exception {
		log("scenario 3: a 200 000-character answer" + what);
		String pane = app.minimal() ? "" : app.control("/panes", Map.of("count", "1"));
		String tab = app.minimal() ? browser.openMinimal(app.baseUrl()) : browser.open(app.baseUrl(), 1);
		int s = streams.incrementAndGet();
		List<String> chunks = text.chunks(s, 2_000, 100, 5);
		int answerBytes = String.join("", chunks).getBytes(StandardCharsets.UTF_8).length;
		fake.when("s3-" + s, Reply.chunks(chunks).after(Duration.ofMillis(300)).every(Duration.ofMillis(2)));
		browser.reset(tab);
		Map<String, Long> dbBefore = app.databaseWrites();
		Map<String, Long> ioBefore = app.io();
		double cpuBefore = app.cpuSeconds();
		Map<String, Long> statements = Map.of();
		Latencies lat;
		Map<String, Long> ioDone;
		if (app.minimal()) {
			// no control server: typed into the page, as a user sends; it has ended when
			// the fake wrote its last chunk, and is on screen when its last marker showed
			browser.send(tab, BrowserTabs.MINIMAL_PROMPT, "s3-" + s);
			awaitWritten(s, chunks.size());
			ioDone = app.io();
			lat = latencies(List.of(tab), List.of(s), Duration.ofMinutes(5));
		}
		else {
			String reply = app.control("/send", Map.of("panes", pane, "prompt", "s3-" + s));
			JsonNode statementsBefore = JSON.readTree(app.control("/stats", Map.of())).path("statements");
			awaitDone(app, reply);
			ioDone = app.io();
			statements = delta(statementsBefore, JSON.readTree(app.control("/stats", Map.of())).path("statements"));
			lat = latencies(List.of(tab), List.of(s));
		}
		// H2 stores its pages in the background (about once a second): count once its
		// writes stop
		Map<String, Long> ioAfter = settledIo(app);
		double cpu = app.cpuSeconds() - cpuBefore;
		// on PostgreSQL the server's writes (WAL, and the data pages a checkpoint writes
		// now) count besides the app's own (its log)
		Map<String, Long> dbAfter = app.databaseWrites();
		JsonNode probe = browser.read(tab);
		if (BrowserTabs.TRACE.contains(scenario)) {
			browser.writeTrace(out.resolve("trace-" + scenario + "-" + app.strategy + ".json"));
		}
		Map<String, Object> r = new LinkedHashMap<>(lat.summary());
		long appWriteBytes = ioAfter.getOrDefault("write_bytes", 0L) - ioBefore.getOrDefault("write_bytes", 0L);
		long walBytes = dbAfter.getOrDefault("walBytes", 0L) - dbBefore.getOrDefault("walBytes", 0L);
		long pageBytes = dbAfter.getOrDefault("pageBytes", 0L) - dbBefore.getOrDefault("pageBytes", 0L);
		long writeBytes = appWriteBytes + walBytes + pageBytes;
		r.put("answerBytes", answerBytes);
		r.put("database", dbBefore.isEmpty() ? "h2" : AppProcess.POSTGRES);
		if (!dbBefore.isEmpty()) {
			r.put("appWriteBytes", appWriteBytes);
			r.put("postgresWalBytes", walBytes);
			r.put("postgresPageBytes", pageBytes);
		}
		r.put("diskWriteBytes", writeBytes);
		r.put("diskBytesPerAnswerByte", writeBytes / (double) answerBytes);
		r.put("diskWriteBytesUntilEnd",
				ioDone.getOrDefault("write_bytes", 0L) - ioBefore.getOrDefault("write_bytes", 0L));
		r.put("writeSyscallBytes", ioAfter.getOrDefault("wchar", 0L) - ioBefore.getOrDefault("wchar", 0L));
		if (!app.minimal()) {
			r.put("statements", statements.values().stream().mapToLong(Long::longValue).sum());
		}
		// the model's last chunk written → the last marker on screen (the answer's end is
		// shown)
		r.put("onScreenAfterModelMs", lastSeen(tab, s) - lastWritten(s));
		r.put("longestFrameGapMs", probe.path("frameGap").asDouble());
		r.put("longestTaskMs", probe.path("longest").asDouble());
		// for finding a stutter's cause: the slowest frames, with the scripts that ran in
		// them
		r.put("worstFrames", probe.path("worstFrames"));
		r.put("longTasks", probe.path("longtasks").asInt());
		r.put("serverCpuSeconds", cpu);
		r.put("pushes", probe.path("pushes").asLong());
		r.put("pushBytes", probe.path("pushBytes").asLong());
		browser.closeAll();
		return r;
	}

	/** Prompts per app in scenario 8, after one that is not counted. */
	private static final int PROMPTS = 10;

	/**
	 * Scenario 7: Enter pressed in the page → the request at the model (the fake stamps
	 * its arrival, the page the key press; one clock), {@value #PROMPTS} short prompts
	 * per app typed into one open pane, the apps taking turns prompt by prompt.
	 */
	private void enterToRequest(List<AppProcess> apps, Map<String, Map<String, Object>> results) throws Exception {
		log("scenario 8: Enter → request at the model, %d prompts per app".formatted(PROMPTS));
		Map<AppProcess, String> tabs = new LinkedHashMap<>();
		for (AppProcess app : apps) {
			if (!app.minimal()) {
				app.control("/panes", Map.of("count", "1"));
			}
			String tab = app.minimal() ? browser.openMinimal(app.baseUrl()) : browser.open(app.baseUrl(), 1);
			tabs.put(app, tab);
			enterToRequest(app, tab, "s8");
		}
		Map<String, List<Double>> samples = new LinkedHashMap<>();
		for (int round = 0; round < PROMPTS; round++) {
			for (AppProcess app : round % 2 == 0 ? apps : apps.reversed()) {
				samples.computeIfAbsent(app.strategy, k -> new ArrayList<>())
					.add(enterToRequest(app, requireNonNull(tabs.get(app)), "s8"));
			}
		}
		samples.forEach((strategy, list) -> {
			Latencies lat = new Latencies(list, 0);
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("prompts", list.size());
			r.put("p50", lat.p(50));
			r.put("p95", lat.p(95));
			r.put("max", lat.p(100));
			r.put("samplesMs", list);
			requireNonNull(results.get(strategy)).put("s8", r);
			log("  %s: Enter → request p50 %.1f ms, p95 %.1f ms".formatted(strategy, lat.p(50), lat.p(95)));
		});
		browser.closeAll();
	}

	/**
	 * One prompt typed into the tab and sent with Enter: ms from the key press to the
	 * request's arrival at the model; returns once the short answer is on screen (and, in
	 * our app, has ended).
	 */
	private double enterToRequest(AppProcess app, String tab, String kind) throws Exception {
		int s = streams.incrementAndGet();
		String prompt = kind + "-" + s + "-";
		fake.when(prompt, Reply.chunks(Scripts.markedChunks(s, 3, 40, 4)).every(Duration.ofMillis(5)));
		browser.reset(tab);
		browser.send(tab, app.minimal() ? BrowserTabs.MINIMAL_PROMPT : BrowserTabs.OUR_PROMPT, prompt);
		FakeGemini.RecordedRequest request = Awaitility.await("the request for " + prompt)
			.atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> fake.requests()
				.stream()
				.filter(r -> r.lastUserText().contains(prompt))
				.findFirst()
				.orElse(null), Objects::nonNull);
		awaitWritten(s, 3);
		latencies(List.of(tab), List.of(s));
		if (!app.minimal()) {
			Awaitility.await("the answer to end")
				.atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> browser.idle(tab));
		}
		JsonNode enters = browser.read(tab).path("enters");
		if (enters.isEmpty()) {
			throw new IllegalStateException("the page saw no Enter for " + prompt);
		}
		return millis(request.at()) - enters.get(0).asDouble();
	}

	/**
	 * Scenario 8: start-up. The packaged app as a user starts it ({@code java -jar}; for
	 * ours also the extracted jar with the JDK's AOT cache the build made) and the
	 * minimal app: JVM started → first page answered, then the first prompt's Enter → its
	 * request at the model, typed into the fresh app's first page (ours signs in first).
	 * Two rounds, in A-B-C-C-B-A order; each start on a loopback address of its own, so
	 * no session cookie of another app is sent.
	 */
	private void startUp(List<AppProcess> apps, Map<String, Map<String, Object>> results) throws Exception {
		Path minimalClasses = out.resolve("minimal");
		boolean aot = Files.isRegularFile(jar.resolveSibling("app").resolve("app.aot"));
		List<String> variants = new ArrayList<>();
		for (AppProcess app : apps) {
			if (app.strategy.equals("ours")) {
				variants.add("ours");
				if (aot) {
					variants.add("oursAot");
				}
			}
			else if (app.minimal()) {
				variants.add(AppProcess.MINIMAL);
			}
		}
		List<String> order = new ArrayList<>(variants);
		order.addAll(variants.reversed());
		Map<String, List<Double>> startSeconds = new LinkedHashMap<>();
		Map<String, List<Double>> firstPromptMs = new LinkedHashMap<>();
		int host = 0;
		for (String variant : order) {
			log("scenario 9: start-up · " + variant);
			String name = "127.0.9." + (10 + host++);
			AppProcess.Started started = variant.equals(AppProcess.MINIMAL)
					? AppProcess.startMinimalTimed(jar, minimalClasses, name, fake.baseUrl(), out,
							"s9-" + variant + host)
					: AppProcess.startPlain(jar, variant.equals("oursAot"), name, fake.baseUrl(), out,
							"s9-" + variant + host);
			try (AppProcess app = started.app()) {
				String tab = app.minimal() ? browser.openMinimal(app.baseUrl()) : browser.open(app.baseUrl(), -1);
				double first = enterToRequest(app, tab, "s9");
				startSeconds.computeIfAbsent(variant, k -> new ArrayList<>()).add(started.seconds());
				firstPromptMs.computeIfAbsent(variant, k -> new ArrayList<>()).add(first);
				log("  %s: started in %.2f s, first prompt's Enter → request %.0f ms".formatted(variant,
						started.seconds(), first));
			}
			finally {
				browser.closeAll();
			}
		}
		for (String variant : variants) {
			String strategy = variant.equals("oursAot") ? "ours" : variant;
			@SuppressWarnings("unchecked")
			Map<String, Object> r = (Map<String, Object>) requireNonNull(results.get(strategy)).computeIfAbsent("s9",
					k -> new LinkedHashMap<String, Object>());
			String suffix = variant.equals("oursAot") ? "Aot" : "";
			r.put("startSeconds" + suffix, requireNonNull(startSeconds.get(variant)));
			r.put("startSecondsMedian" + suffix, new Latencies(requireNonNull(startSeconds.get(variant)), 0).p(50));
			r.put("firstPromptMs" + suffix, requireNonNull(firstPromptMs.get(variant)));
			r.put("firstPromptMsMedian" + suffix, new Latencies(requireNonNull(firstPromptMs.get(variant)), 0).p(50));
		}
	}

	/**
	 * Waits until the fake has written the first {@code chunks} chunks of stream
	 * {@code s}.
	 */
	private void awaitWritten(int s, int chunks) {
		Awaitility.await("the model to write stream " + s)
			.atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> written.containsKey(s + "." + (chunks - 1)));
	}

	/** When the fake wrote the last marker of stream {@code s} (epoch ms). */
	private double lastWritten(int s) {
		return written.entrySet()
			.stream()
			.filter(e -> e.getKey().startsWith(s + "."))
			.mapToDouble(Map.Entry::getValue)
			.max()
			.orElse(Double.NaN);
	}

	/** When the tab first showed the last of stream {@code s}'s markers to appear. */
	private double lastSeen(String tab, int s) throws IOException {
		double last = Double.NaN;
		for (Iterator<Map.Entry<String, JsonNode>> it = browser.read(tab).path("seen").fields(); it.hasNext();) {
			var e = it.next();
			if (e.getKey().startsWith(s + ".") && !(e.getValue().asDouble() <= last)) {
				last = e.getValue().asDouble();
			}
		}
		return last;
	}

	private static double millis(Instant at) {
		return at.getEpochSecond() * 1000.0 + at.getNano() / 1e6;
	}

	/**
	 * One app's climb up the concurrency ladder: its tabs and panes stay open from step
	 * to step.
	 */
	private static final class Ladder {

		final AppProcess app;

		/**
		 * Each tab a session (and user) of its own, rather than all tabs one user's
		 * session.
		 */
		final boolean separateSessions;

		/**
		 * Distinguishes the apps' loopback addresses, so their session cookies never
		 * meet.
		 */
		final int appIndex;

		final List<Map<String, Object>> steps = new ArrayList<>();

		final List<String> tabs = new ArrayList<>();

		final List<String> panes = new ArrayList<>();

		@Nullable Integer knee;

		Ladder(AppProcess app, int appIndex, boolean separateSessions) {
			this.app = app;
			this.appIndex = appIndex;
			this.separateSessions = separateSessions;
		}

		/**
		 * Opens the next tab with {@code perTab} new panes, in the one session or in one
		 * of its own.
		 */
		void openTab(BrowserTabs browser, int perTab) throws Exception {
			String ids;
			if (separateSessions) {
				int k = tabs.size();
				String user = AppProcess.USER + "-" + k;
				ids = app.control("/panes", Map.of("count", Integer.toString(perTab), "user", user));
				tabs.add(browser.open(app.baseUrl("127.0.%d.%d".formatted(2 + appIndex, 10 + k)), perTab, user));
			}
			else {
				ids = app.control("/panes", Map.of("count", Integer.toString(perTab)));
				tabs.add(browser.open(app.baseUrl(), perTab));
			}
			panes.addAll(Arrays.asList(ids.split(",")));
		}

	}

	/**
	 * Concurrency ladder: tabs of up to 5 panes each, all streaming at 20 chunks/s, until
	 * p99 > 250 ms or an error. The apps take turns step by step, so both climb under the
	 * same machine load. Scenario 4 opens every tab in one session, as one user's tabs
	 * are (they share its lock); scenario 6 gives each tab a session and user of its own,
	 * so a difference between the two is serialisation on the session.
	 */
	private void ladders(List<AppProcess> apps, Map<String, Map<String, Object>> results, String scenario,
			boolean separateSessions) throws Exception {
		List<Ladder> ladders = new ArrayList<>();
		for (AppProcess app : apps) {
			ladders.add(new Ladder(app, ladders.size(), separateSessions));
		}
		for (int target : LADDER) {
			for (Ladder ladder : ladders) {
				if (ladder.knee == null) {
					step(ladder, target);
				}
			}
		}
		for (Ladder ladder : ladders) {
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("steps", ladder.steps);
			r.put("kneeAt", ladder.knee);
			requireNonNull(results.get(ladder.app.strategy)).put(scenario, r);
		}
		browser.closeAll();
	}

	private void step(Ladder ladder, int target) throws Exception {
		AppProcess app = ladder.app;
		log("scenario %s: %d streams · %s".formatted(ladder.separateSessions ? "6" : "4", target, app.strategy));
		int perTab = Math.min(PANES_PER_TAB, target);
		if (perTab < PANES_PER_TAB || ladder.panes.size() % PANES_PER_TAB != 0) {
			ladder.tabs.forEach(browser::close);
			ladder.tabs.clear();
			ladder.panes.clear();
		}
		while (ladder.panes.size() < target) {
			ladder.openTab(browser, perTab);
		}
		app.control("/open", Map.of("ids", String.join(",", ladder.panes)));
		List<Integer> ids = new ArrayList<>();
		String prompt = "s4-" + streams.incrementAndGet();
		for (int i = 0; i < target; i++) {
			int s = streams.incrementAndGet();
			ids.add(s);
			fake.when(prompt + "#" + i, Reply.chunks(Scripts.markedChunks(s, 60, 160, 4)).every(Duration.ofMillis(50)));
		}
		for (String tab : ladder.tabs) {
			browser.reset(tab);
		}
		double cpuBefore = app.cpuSeconds();
		long[] machineBefore = ProcFs.machineJiffies();
		JsonNode pushBefore = JSON.readTree(app.control("/push-latency", Map.of()));
		JsonNode lockBefore = JSON.readTree(app.control("/push-lock-held", Map.of()));
		long stepStart = System.nanoTime();
		String replies = app.control("/send",
				Map.of("panes", String.join(",", ladder.panes.subList(0, target)), "prompt", prompt));
		String statuses = awaitDone(app, replies);
		double seconds = (System.nanoTime() - stepStart) / 1e9;
		double serverCpu = app.cpuSeconds() - cpuBefore;
		long[] machineAfter = ProcFs.machineJiffies();
		Latencies lat = latencies(ladder.tabs, ids);
		JsonNode pushAfter = JSON.readTree(app.control("/push-latency", Map.of()));
		JsonNode lockAfter = JSON.readTree(app.control("/push-lock-held", Map.of()));
		long failed = Arrays.stream(statuses.split(",")).filter(st -> !st.equals("COMPLETE")).count();
		Map<String, Object> step = new LinkedHashMap<>(lat.summary());
		// the server's share: an update's wait for its push (frame, session lock), from
		// the app's histogram
		step.put("serverPushP50", histogramPercentile(pushBefore, pushAfter, 0.50));
		step.put("serverPushP99", histogramPercentile(pushBefore, pushAfter, 0.99));
		step.put("lockHeldP50", histogramPercentile(lockBefore, lockAfter, 0.50));
		step.put("lockHeldP99", histogramPercentile(lockBefore, lockAfter, 0.99));
		step.put("streams", target);
		step.put("tabs", ladder.tabs.size());
		step.put("failedReplies", failed);
		// where the two cores went: the app's share, and the whole machine's (browser,
		// fake, others)
		step.put("serverCpuPercentOfMachine", 100 * serverCpu / (seconds * Runtime.getRuntime().availableProcessors()));
		step.put("machineBusyPercent",
				100.0 * (machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1]));
		long errors = failed + lat.missing;
		step.put("errors", errors);
		ladder.steps.add(step);
		log("  %d streams: p50 %.1f ms, p99 %.1f ms, errors %d, server %.0f%% / machine %.0f%% CPU; server push p50 %.0f, p99 %.0f ms; lock held p50 %.2f, p99 %.2f ms"
			.formatted(target, lat.p(50), lat.p(99), errors, step.get("serverCpuPercentOfMachine"),
					step.get("machineBusyPercent"), step.get("serverPushP50"), step.get("serverPushP99"),
					step.get("lockHeldP50"), step.get("lockHeldP99")));
		if (lat.p(99) > LADDER_P99_LIMIT_MS || errors > 0) {
			ladder.knee = target;
			ladder.tabs.forEach(browser::close);
			ladder.tabs.clear();
		}
	}

	/**
	 * The upper bound of the histogram bucket holding quantile {@code q} of what was
	 * recorded between two cumulative readings of the app's push-latency histogram
	 * ({@code [[ms, count], …]}).
	 */
	static double histogramPercentile(JsonNode before, JsonNode after, double q) {
		long total = 0;
		long[] counts = new long[after.size()];
		for (int i = 0; i < after.size(); i++) {
			counts[i] = after.get(i).get(1).asLong() - (before.size() > i ? before.get(i).get(1).asLong() : 0);
		}
		total = counts.length == 0 ? 0 : counts[counts.length - 1];
		for (int i = 0; i < counts.length; i++) {
			if (total > 0 && counts[i] >= q * total) {
				return after.get(i).get(0).asDouble();
			}
		}
		return Double.NaN;
	}

	/**
	 * Heap retained per open tab: 4 panes × 100 finished messages, after GC with N and 2N
	 * tabs.
	 */
	private Map<String, Object> memory(AppProcess app) throws Exception {
		log("scenario 5: heap per open tab");
		browser.closeAll();
		int n = 4;
		app.control("/seed", Map.of("panes", "4", "messages", "100", "chars", "600"));
		long base = Long.parseLong(app.control("/heap", Map.of()));
		for (int i = 0; i < n; i++) {
			browser.open(app.baseUrl(), 4);
		}
		long withN = Long.parseLong(app.control("/heap", Map.of()));
		for (int i = 0; i < n; i++) {
			browser.open(app.baseUrl(), 4);
		}
		long with2N = Long.parseLong(app.control("/heap", Map.of()));
		if (Boolean.getBoolean("bench.histogram")) {
			// what the tabs' heap is made of, for investigating (jcmd ships with the JDK
			// running this)
			Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
			new ProcessBuilder(jcmd.toString(), Long.toString(app.pid()), "GC.class_histogram")
				.redirectOutput(out.resolve("histogram-" + app.strategy + ".txt").toFile())
				.start()
				.waitFor();
		}
		browser.closeAll();
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("tabsN", n);
		r.put("heapNoTabs", base);
		r.put("heapN", withN);
		r.put("heap2N", with2N);
		r.put("heapPerTabBytes", (with2N - withN) / (double) n);
		return r;
	}

	// ---- measuring

	/**
	 * When the fake wrote the chunk completing marker "stream.seq" (epoch ms), or NaN.
	 */
	double writtenAt(String marker) {
		Double at = written.get(marker);
		return at == null ? Double.NaN : at;
	}

	FakeGemini fake() {
		return fake;
	}

	int nextStream() {
		return streams.incrementAndGet();
	}

	String awaitReplies(AppProcess app, String replies) throws Exception {
		return awaitDone(app, replies);
	}

	static String loadAverageNow() {
		return loadAverage();
	}

	private void stampMarkers(String text) {
		double now = nowMillis();
		Matcher m = MARKER.matcher(text);
		while (m.find()) {
			written.put(m.group(1) + "." + m.group(2), now);
		}
	}

	private static double nowMillis() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
	}

	/**
	 * Waits until every reply has ended, then a moment for the last pushes; returns their
	 * statuses.
	 */
	private String awaitDone(AppProcess app, String replies) throws Exception {
		String[] statuses = new String[1];
		try {
			Awaitility.await()
				.atMost(Duration.ofMinutes(3))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> !(statuses[0] = app.control("/status", Map.of("ids", replies))).contains("STREAMING"));
		}
		catch (ConditionTimeoutException stillStreaming) {
			// reported by the caller from the statuses, not waited for any longer
		}
		return statuses[0];
	}

	/**
	 * The process's I/O counters once they have not changed for a second and a half (at
	 * most 10 s).
	 */
	private static Map<String, Long> settledIo(AppProcess app) {
		List<Map<String, Long>> last = new ArrayList<>(List.of(app.io()));
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.pollDelay(Duration.ofMillis(1_500))
				.pollInterval(Duration.ofMillis(1_500))
				.until(() -> {
					Map<String, Long> now = app.io();
					boolean same = now.get("write_bytes") != null
							&& now.get("write_bytes").equals(last.getLast().get("write_bytes"));
					last.add(now);
					return same;
				});
		}
		catch (ConditionTimeoutException stillWriting) {
			// counted as it is: the figure then includes less than all of the background
			// writes
		}
		return last.getLast();
	}

	/**
	 * The samples once every marker written for these streams has shown in the browser,
	 * or what showed within 10 s after the replies ended: the pushes for a reply's end
	 * may still be on their way when its status says it ended. A fixed pause here counted
	 * late markers as missing, and missing markers set the ladder's knee (issue 15).
	 */
	private Latencies latencies(List<String> tabs, List<Integer> streamIds) throws IOException {
		return latencies(tabs, streamIds, Duration.ofSeconds(10));
	}

	/**
	 * As {@link #latencies(List, List)}, waiting up to {@code atMost} (the minimal app
	 * shows a long answer's end seconds after the model ended).
	 */
	private Latencies latencies(List<String> tabs, List<Integer> streamIds, Duration atMost) throws IOException {
		Latencies[] last = new Latencies[1];
		try {
			// a page busy rendering may not answer the driver in time: ask again later
			Awaitility.await()
				.atMost(atMost)
				.pollInterval(Duration.ofMillis(atMost.toSeconds() > 10 ? 1_000 : 200))
				.ignoreExceptionsInstanceOf(TimeoutException.class)
				.until(() -> (last[0] = collect(tabs, streamIds)).missing == 0);
		}
		catch (ConditionTimeoutException someNeverShowed) {
			// reported as missing
		}
		return last[0] != null ? last[0] : collect(tabs, streamIds);
	}

	private Latencies collect(List<String> tabs, List<Integer> streamIds) throws IOException {
		List<Double> samples = new ArrayList<>();
		Set<String> prefixes = new HashSet<>();
		streamIds.forEach(s -> prefixes.add(s + "."));
		Set<String> seen = new HashSet<>();
		for (String tab : tabs) {
			JsonNode probe = browser.read(tab).path("seen");
			for (Iterator<Map.Entry<String, JsonNode>> it = probe.fields(); it.hasNext();) {
				var e = it.next();
				Double w = written.get(e.getKey());
				if (w != null && prefixes.contains(e.getKey().substring(0, e.getKey().indexOf('.') + 1))) {
					samples.add(e.getValue().asDouble() - w);
					if (Boolean.getBoolean("bench.series")) {
						System.out.printf(Locale.ROOT, "series %s %.1f %.1f%n", e.getKey(), w,
								e.getValue().asDouble() - w);
					}
					seen.add(e.getKey());
				}
			}
		}
		long expected = written.keySet()
			.stream()
			.filter(k -> prefixes.contains(k.substring(0, k.indexOf('.') + 1)))
			.count();
		return new Latencies(samples, expected - seen.size());
	}

	private static Map<String, Long> delta(JsonNode before, JsonNode after) {
		Map<String, Long> d = new LinkedHashMap<>();
		after.fields().forEachRemaining(e -> {
			long v = e.getValue().asLong() - before.path(e.getKey()).asLong(0);
			if (v != 0) {
				d.put(e.getKey(), v);
			}
		});
		return d;
	}

	static void log(String line) {
		System.out.println("[bench] " + line);
	}

	/** Token→screen latency samples (ms) and how many written markers never showed. */
	static final class Latencies {

		final double[] sorted;

		final long missing;

		static Latencies merge(List<Latencies> all) {
			List<Double> samples = new ArrayList<>();
			all.forEach(l -> Arrays.stream(l.sorted).forEach(samples::add));
			return new Latencies(samples, all.stream().mapToLong(l -> l.missing).sum());
		}

		Latencies(List<Double> samples, long missing) {
			this.sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			this.missing = missing;
		}

		double p(double percentile) {
			if (sorted.length == 0) {
				return Double.NaN;
			}
			int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
			return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
		}

		Map<String, Object> summary() {
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("samples", sorted.length);
			r.put("missing", missing);
			r.put("p50", p(50));
			r.put("p95", p(95));
			r.put("p99", p(99));
			r.put("max", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
			return r;
		}

	}

}
