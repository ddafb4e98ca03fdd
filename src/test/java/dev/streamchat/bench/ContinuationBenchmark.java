package dev.streamchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamchat.chat.internal.BatchText;
import dev.streamchat.testing.AppNode;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.FakeGeminiConfiguration;
import dev.streamchat.testing.TestPostgres;
import dev.streamchat.testing.TestUsers;
import dev.streamchat.ui.browser.Browser;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.awaitility.Awaitility.await;

/**
 * Scenario 7 (issue 16), the 20-reply version of MultiNodeBrowserTest's drain and
 * continuation: two nodes (JVMs of their own, the test classpath) over one PostgreSQL,
 * behind Debian's HAProxy with the configuration in {@code deploy/haproxy.cfg} (only the
 * addresses changed), and two Chromium browsers, one sticky to each node, showing the
 * same user's 20 panes. Three waves of 20 streaming replies, 10 generated on each node:
 * <ol>
 * <li>SIGTERM node 1, wait for it to exit and come back;</li>
 * <li>the same with node 2 (a rolling restart);</li>
 * <li>kill -9 node 1.</li>
 * </ol>
 * After each: every reply's stored text compared byte for byte with what the fake model
 * sent, and every pane of both browsers (reloaded by Vaadin onto the surviving node)
 * showing its conversation. For the kill, the pause from the kill to the continuation's
 * first chunk written by the fake (the screen follows within a frame or two).
 */
final class ContinuationBenchmark {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Pattern WORD = Pattern.compile("r(\\d+)x(\\d+)w(\\d+) ");

	private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

	/** Words each reply streams before it is held until its node is signalled. */
	private static final int HELD_AFTER = 60;

	static final String SEAM_NOTE = "continued after a server restart";

	private final FakeGemini fake;

	private final Path out;

	private final int replies;

	private final int words;

	private final Duration every;

	private final String dbUrl;

	private final int[] ports = new int[2];

	private final AppNode[] nodes = new AppNode[2];

	private final List<ChromeDriver> browsers = new ArrayList<>();

	private final List<String> panes = new ArrayList<>();

	private final int lbPort;

	private final int statsPort;

	private @Nullable Process haproxy;

	/** Per wave and reply: when the fake wrote each word (epoch ms), by word index. */
	private final Map<String, Map<Integer, Long>> written = new ConcurrentHashMap<>();

	private int restarts;

	private int screenshots;

	/**
	 * After a kill: the first chunk of each reply written from this time on (epoch ms;
	 * Long.MAX_VALUE: not watching), which is its continuation's.
	 */
	private volatile long watchFrom = Long.MAX_VALUE;

	private final Map<String, Long> firstAfter = new ConcurrentHashMap<>();

	private ContinuationBenchmark(FakeGemini fake, Path out, int replies, int words, Duration every)
			throws IOException {
		this.fake = fake;
		this.out = out;
		this.replies = replies;
		this.words = words;
		this.every = every;
		this.dbUrl = TestPostgres.shared().createDatabase();
		for (int i = 0; i < 2; i++) {
			ports[i] = AppNode.freePort();
		}
		this.lbPort = AppNode.freePort();
		this.statsPort = AppNode.freePort();
	}

	/** Runs the scenario and writes {@code continuation.md} and {@code .json} to out. */
	static Map<String, Object> run(Path out) throws Exception {
		int replies = Integer.getInteger("bench.continuation.replies", 20);
		Map<String, Object> results = new LinkedHashMap<>();
		try (FakeGemini fake = FakeGemini.start()) {
			ContinuationBenchmark bench = new ContinuationBenchmark(fake, out, replies, 600, Duration.ofMillis(25));
			try {
				results = bench.runAll();
			}
			finally {
				bench.close();
			}
		}
		Files.createDirectories(out);
		Files.writeString(out.resolve("continuation.json"),
				JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
		Files.writeString(out.resolve("continuation.md"), markdown(results));
		System.out.println(markdown(results));
		return results;
	}

	private Map<String, Object> runAll() throws Exception {
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("commit", git("rev-parse", "--short", "HEAD"));
		results.put("uptimeAtStart", uptime());
		results.put("replies", replies);
		results.put("answer",
				"%d words at %d ms (%.0f s)".formatted(words, every.toMillis(), words * every.toMillis() / 1000.0));
		fake.eventLog(this::stamp);
		log("starting two nodes, HAProxy and two browsers");
		try (var starting = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<AppNode> one = starting.submit(() -> startNode(0));
			Future<AppNode> two = starting.submit(() -> startNode(1));
			nodes[0] = one.get();
			nodes[1] = two.get();
		}
		startHaproxy();
		await().atMost(Duration.ofSeconds(30)).until(() -> serverUp(0) && serverUp(1));
		for (int i = 0; i < 2; i++) {
			browsers.add(Browser.start());
			pin(i, i);
		}
		openPanes();
		results.put("restartNode1", restart(1, 0));
		results.put("restartNode2", restart(2, 1));
		results.put("kill9Node1", kill(3, 0));
		results.put("uptimeAtEnd", uptime());
		return results;
	}

	// ---- the waves

	/**
	 * A wave of replies: reply {@code i} in pane {@code i}, sent from browser
	 * {@code i % 2} (so generated on that browser's node).
	 */
	/**
	 * Every wave's scripts: a continuation registered for an earlier wave and not used
	 * there (the fake answers registrations in order) must still find the reply it is
	 * asked to continue (18:24 run: the kill wave's continuations met the first waves'
	 * registrations, whose scripts held none of its replies), so each registration sees
	 * this list as it grows.
	 */
	private final List<FakeGemini.Stream> allScripts = new CopyOnWriteArrayList<>();

	private List<FakeGemini.Stream> sendWave(int wave, CountDownLatch release) {
		List<FakeGemini.Stream> scripts = new ArrayList<>();
		for (int i = 0; i < replies; i++) {
			List<String> text = new ArrayList<>();
			for (int w = 0; w < words; w++) {
				// a paragraph now and then, and a character outside the BMP, so that
				// offsets and markdown are exercised
				text.add("r" + wave + "x" + i + "w" + w + " " + (w % 50 == 49 ? "🚀.\n\n" : ""));
			}
			// held after 60 words until the signal: every reply of the wave is streaming
			// when its node goes, however long a loaded machine takes to send the 20
			// prompts (at a load of 10-25 the first replies had ended before the last
			// started)
			FakeGemini.Stream script = Reply.chunks(text).every(every).holdAfter(HELD_AFTER, release);
			fake.when("wave " + wave + " reply " + i + " please", script);
			scripts.add(script);
		}
		allScripts.addAll(scripts);
		// one script per request: the fake answers each registration once, so with one
		// for the wave only the first continuation after a kill went on, the others got
		// the fake's fallback (17:51 run: 3 of 10 FAILED, 7 ended after 60 words)
		for (int i = 0; i < replies; i++) {
			fake.when("Continue it exactly", new FakeGemini.Resume(allScripts, 12));
		}
		for (int b = 0; b < 2; b++) {
			ChromeDriver browser = browsers.get(b);
			for (int i = b; i < replies; i += 2) {
				WebElement prompt = browser
					.findElement(By.cssSelector(".pane[data-pane-id='" + panes.get(i) + "'] .prompt textarea"));
				prompt.sendKeys("wave " + wave + " reply " + i + " please");
				prompt.sendKeys(Keys.ENTER);
			}
		}
		// every reply streams, and has stored some text, before the node goes
		await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
			for (int i = 0; i < replies; i++) {
				Map<Integer, Long> seen = written.get(wave + "/" + i);
				if (seen == null || seen.size() < HELD_AFTER) {
					return false;
				}
			}
			return true;
		});
		return scripts;
	}

	/** SIGTERM a node with a wave streaming, wait for it to exit and to come back. */
	private Map<String, Object> restart(int wave, int node) throws Exception {
		log("wave %d: rolling restart of node %d".formatted(wave, node + 1));
		CountDownLatch release = new CountDownLatch(1);
		List<FakeGemini.Stream> scripts = sendWave(wave, release);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("streamingByNodeAtSignal", streamingByNode());
		Instant signalled = Instant.now();
		nodes[node].signalTerminate();
		release.countDown();
		nodes[node].awaitExit(Duration.ofSeconds(300));
		result.put("drainSeconds", Duration.between(signalled, Instant.now()).toMillis() / 1000.0);
		result.put("handedOver", count(nodes[node].log(), "handing (\\d+) streaming replies over"));
		nodes[node] = startNode(node);
		await().atMost(Duration.ofSeconds(180)).until(() -> serverUp(node));
		result.put("backAfterSeconds", Duration.between(signalled, Instant.now()).toMillis() / 1000.0);
		result.putAll(compare(wave, scripts));
		result.putAll(tabsShowTheirConversations(scripts));
		// the browser that went over to the other node goes back to its own
		pin(node, node);
		return result;
	}

	/** kill -9 of a node with a wave streaming: the survivor continues its replies. */
	private Map<String, Object> kill(int wave, int node) throws Exception {
		log("wave %d: kill -9 of node %d".formatted(wave, node + 1));
		CountDownLatch release = new CountDownLatch(1);
		List<FakeGemini.Stream> scripts = sendWave(wave, release);
		Map<String, Object> result = new LinkedHashMap<>();
		Map<String, Integer> before = streamingByNode();
		result.put("streamingByNodeAtKill", before);
		long killed = System.currentTimeMillis();
		nodes[node].kill();
		// the other node's replies go on; the dead node's streams write into closed
		// sockets at once and end
		release.countDown();
		// what the fake still wrote into the dead node's sockets is not a continuation:
		// none can come before the lease (10 s) has run out
		watchFrom = killed + 5_000;
		result.putAll(compare(wave, scripts));
		// kill -> the continuation's first chunk written by the model
		List<Long> pauses = new ArrayList<>();
		int late = 0;
		long allowed = Duration.ofSeconds(10 + 5).toMillis();
		for (int i = node; i < replies; i += 2) {
			long first = firstAfter.getOrDefault(wave + "/" + i, Long.MAX_VALUE);
			pauses.add(first - killed);
			if (first - killed > allowed) {
				late++;
			}
		}
		pauses.sort(null);
		result.put("continuedReplies", pauses.size());
		result.put("seamPauseMillis", pauses);
		result.put("seamPauseP50", pauses.get(pauses.size() / 2));
		result.put("seamPauseP99", pauses.get(Math.min(pauses.size() - 1, (int) Math.ceil(pauses.size() * 0.99) - 1)));
		result.put("continuedLaterThanLeasePlus5s", late);
		result.put("seamsRecorded", seamsOfWave(wave));
		result.putAll(tabsShowTheirConversations(scripts));
		return result;
	}

	/**
	 * Waits until every reply of the wave has ended, then compares each with the model's
	 * text: cut (not COMPLETE), characters lost and duplicated.
	 */
	private Map<String, Object> compare(int wave, List<FakeGemini.Stream> scripts) throws SQLException {
		await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
			for (int i = 0; i < replies; i++) {
				if ("STREAMING".equals(storedReply(i)[0])) {
					return false;
				}
			}
			return true;
		});
		int cut = 0;
		int exact = 0;
		long lost = 0;
		long duplicated = 0;
		for (int i = 0; i < replies; i++) {
			String[] stored = storedReply(i);
			String expected = scripts.get(i).fullText();
			if (!"COMPLETE".equals(stored[0])) {
				cut++;
			}
			if (!"COMPLETE".equals(stored[0]) || !expected.equals(stored[1])) {
				log("wave %d reply %d: %s, %d of %d characters, starts %s".formatted(wave, i, stored[0],
						stored[1].length(), expected.length(),
						stored[1].substring(0, Math.min(40, stored[1].length())).replace('\n', ' ')));
			}
			if (expected.equals(stored[1])) {
				exact++;
			}
			else {
				int[] diff = lostAndDuplicated(expected, stored[1]);
				lost += diff[0];
				duplicated += diff[1];
			}
		}
		return Map.of("answersCut", cut, "byteForByte", exact + " of " + replies, "charactersLost", lost,
				"charactersDuplicated", duplicated);
	}

	/**
	 * Characters of {@code expected} missing from {@code actual} and extra ones in it, by
	 * their longest common subsequence over words (the texts are unique words).
	 */
	static int[] lostAndDuplicated(String expected, String actual) {
		String[] a = expected.split("(?<= )");
		String[] b = actual.split("(?<= )");
		int[][] lcs = new int[a.length + 1][b.length + 1];
		for (int i = a.length - 1; i >= 0; i--) {
			for (int j = b.length - 1; j >= 0; j--) {
				lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + a[i].length()
						: Math.max(lcs[i + 1][j], lcs[i][j + 1]);
			}
		}
		return new int[] { expected.length() - lcs[0][0], actual.length() - lcs[0][0] };
	}

	/**
	 * Both browsers, however their node went, show every pane's last answer complete and
	 * as the model wrote it. Vaadin reloads a tab whose node went away; one that has not
	 * recovered after 60 s is reloaded by hand (counted).
	 */
	private Map<String, Object> tabsShowTheirConversations(List<FakeGemini.Stream> scripts) {
		Map<String, Object> result = new LinkedHashMap<>();
		int reloadedByHand = 0;
		int notShowing = 0;
		List<Long> recoverySeconds = new ArrayList<>();
		for (ChromeDriver browser : browsers) {
			long start = System.nanoTime();
			try {
				await().atMost(Duration.ofSeconds(180))
					.pollInterval(Duration.ofSeconds(1))
					.ignoreExceptions()
					.until(() -> showsAll(browser, scripts));
			}
			catch (ConditionTimeoutException notRecovered) {
				reloadedByHand++;
				browser.navigate().refresh();
				signInIfAsked(browser);
				try {
					await().atMost(Duration.ofSeconds(90))
						.pollInterval(Duration.ofSeconds(1))
						.ignoreExceptions()
						.until(() -> showsAll(browser, scripts));
				}
				catch (ConditionTimeoutException stillNot) {
					// counted and kept for a look, and the run goes on to its figures
					notShowing++;
					Path shot = out.resolve("tab-not-showing-" + (++screenshots) + ".png");
					try {
						Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
					}
					catch (IOException e) {
						log("no screenshot: " + e);
					}
					log("a browser does not show every conversation after a reload by hand: " + shot);
				}
			}
			recoverySeconds.add((System.nanoTime() - start) / 1_000_000_000L);
		}
		result.put("tabsShowingEveryConversation", (browsers.size() - notShowing) + " of " + browsers.size());
		result.put("tabsReloadedByHand", reloadedByHand);
		return result;
	}

	@SuppressWarnings("unchecked")
	private boolean showsAll(ChromeDriver browser, List<FakeGemini.Stream> scripts) {
		signInIfAsked(browser);
		Map<String, Object> shown = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
				const shown = {};
				for (const pane of document.querySelectorAll('.pane[data-pane-id]')) {
				  const replies = pane.querySelectorAll('.message.assistant');
				  const last = replies[replies.length - 1];
				  if (last && last.classList.contains('complete')) {
				    shown[pane.getAttribute('data-pane-id')] = last.querySelector('.content').innerText;
				  }
				}
				return shown;""");
		if (shown == null) {
			return false;
		}
		for (int i = 0; i < replies; i++) {
			Object text = shown.get(panes.get(i));
			if (text == null || !normalized(text.toString().replace(SEAM_NOTE, " "))
				.equals(normalized(scripts.get(i).fullText()))) {
				return false;
			}
		}
		return true;
	}

	private static String normalized(String text) {
		return text.replaceAll("\\s+", " ").strip();
	}

	// ---- nodes, proxy, browsers

	private AppNode startNode(int node) {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("spring.datasource.url", dbUrl);
		settings.put("spring.datasource.username", TestPostgres.USER);
		settings.put("spring.datasource.password", "");
		settings.put("chat.cluster.mode", "postgres");
		settings.put("chat.cluster.node-id", "node" + (node + 1));
		// the defaults, as deployed: lease 10 s, heartbeat 2 s, drain-timeout 120 s
		settings.put("chat.model.api-key", FakeGeminiConfiguration.API_KEY);
		settings.put("chat.model.base-url", fake.baseUrl());
		settings.put("chat.security.bootstrap-user", TestUsers.ALICE);
		settings.put("chat.security.bootstrap-password", TestUsers.ALICE_PASSWORD);
		settings.put("chat.history.model-titles", "false");
		settings.put("chat.history.max-open-panes", String.valueOf(replies + 2));
		settings.put("chat.budget.concurrent-streams", "0");
		settings.put("chat.budget.prompts-per-minute", "0");
		settings.put("vaadin.devmode.devTools.enabled", "false");
		return AppNode.start("bench-node" + (node + 1) + "-" + restarts++, settings, ports[node]);
	}

	/**
	 * HAProxy with deploy/haproxy.cfg: only where it listens and the nodes' addresses.
	 */
	private void startHaproxy() throws IOException {
		if (!Files.isExecutable(HAPROXY)) {
			throw new IllegalStateException("HAProxy is missing: run scripts/install-haproxy.sh (-Pbench runs it)");
		}
		String config = Files.readString(Path.of("deploy", "haproxy.cfg"))
			.replace("bind :80", "bind 127.0.0.1:" + lbPort)
			// 20 000 connections need 40 000 file descriptors, more than a test process
			// may open
			.replace("maxconn 20000", "maxconn 2000")
			// plain HTTP here: a Secure cookie would not come back
			.replace(" httponly secure ", " httponly ")
			.replaceAll("(?m)^\\s*server node1 .*$", "    server node1 127.0.0.1:" + ports[0] + " cookie node1")
			.replaceAll("(?m)^\\s*server node2 .*$", "    server node2 127.0.0.1:" + ports[1] + " cookie node2") + """

					listen stats
					    bind 127.0.0.1:%d
					    stats enable
					    stats uri /
					""".formatted(statsPort);
		Files.createDirectories(out);
		Path file = out.resolve("haproxy.cfg");
		Files.writeString(file, config);
		haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
			.redirectOutput(out.resolve("haproxy.log").toFile())
			.start();
	}

	/** Whether HAProxy sees the node up (its stats, as CSV). */
	private boolean serverUp(int node) {
		try {
			String csv = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/;csv")).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
			return csv.lines()
				.anyMatch(line -> line.startsWith("nodes,node" + (node + 1) + ",") && line.contains(",UP,"));
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Sends browser {@code b} to node {@code node} from now on (HAProxy's affinity
	 * cookie) and loads the chat there; remember-me signs it in again.
	 */
	private void pin(int b, int node) {
		ChromeDriver browser = browsers.get(b);
		String base = "http://127.0.0.1:" + lbPort;
		// set through DevTools, without loading a page of the site first: a page loaded
		// only to be on the site (it was /actuator/health) makes Chromium fetch
		// /favicon.ico, whose 404 (a Vaadin page with a CSRF token) starts a session of
		// its own; when that answer came after the sign-in page's, the form posted one
		// session's token with the other's cookie, was refused ("Invalid CSRF token") and
		// sent back to the sign-in form, every time behind HAProxy
		Browser.setCookie(browser, base, "SC_NODE", "node" + (node + 1));
		browser.get(base + "/");
		signInIfAsked(browser);
		await().atMost(Duration.ofSeconds(180)).until(() -> !browser.findElements(By.id("add-pane")).isEmpty());
	}

	private static void signInIfAsked(ChromeDriver browser) {
		// the page is either the sign-in form or the chat once it has rendered; looking
		// before that found neither and then waited for the chat behind a sign-in form
		await().atMost(Duration.ofSeconds(180))
			.until(() -> !browser.findElements(By.cssSelector("vaadin-login-form, #add-pane")).isEmpty());
		List<WebElement> forms = browser.findElements(By.cssSelector("vaadin-login-form"));
		if (forms.isEmpty()) {
			return;
		}
		WebElement form = forms.getFirst();
		form.findElement(By.cssSelector("input[name='username']")).sendKeys(TestUsers.ALICE);
		form.findElement(By.cssSelector("input[name='password']")).sendKeys(TestUsers.ALICE_PASSWORD);
		form.findElement(By.cssSelector("vaadin-button[slot='submit'], vaadin-button[theme~='submit']")).click();
		await().atMost(Duration.ofSeconds(180)).until(() -> !browser.findElements(By.id("add-pane")).isEmpty());
	}

	/** The user's panes, one per reply of a wave, open in both browsers. */
	private void openPanes() {
		ChromeDriver first = browsers.getFirst();
		while (first.findElements(By.cssSelector(".pane[data-pane-id]")).size() < replies) {
			int before = first.findElements(By.cssSelector(".pane[data-pane-id]")).size();
			first.findElement(By.id("add-pane")).click();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> first.findElements(By.cssSelector(".pane[data-pane-id]")).size() > before);
		}
		for (WebElement pane : first.findElements(By.cssSelector(".pane[data-pane-id]"))) {
			panes.add(pane.getAttribute("data-pane-id"));
		}
		panes.subList(replies, panes.size()).clear();
		ChromeDriver second = browsers.get(1);
		second.navigate().refresh();
		signInIfAsked(second);
		await().atMost(Duration.ofSeconds(180))
			.until(() -> panes.stream()
				.allMatch(id -> !second.findElements(By.cssSelector(".pane[data-pane-id='" + id + "']")).isEmpty()));
	}

	private void stamp(String text) {
		long now = System.currentTimeMillis();
		Matcher word = WORD.matcher(text);
		while (word.find()) {
			if (now >= watchFrom) {
				firstAfter.putIfAbsent(word.group(1) + "/" + word.group(2), now);
			}
			written.computeIfAbsent(word.group(1) + "/" + word.group(2), k -> new ConcurrentHashMap<>())
				.putIfAbsent(Integer.parseInt(word.group(3)), now);
		}
	}

	// ---- the database's view

	/** Status and stored text of the last reply in pane {@code i}. */
	private String[] storedReply(int i) throws SQLException {
		try (Connection db = DriverManager.getConnection(dbUrl, TestPostgres.USER, "");
				Statement s = db.createStatement();
				ResultSet row = s.executeQuery("select id, status, content from message where pane_id = "
						+ Long.parseLong(panes.get(i)) + " and role = 'ASSISTANT' order by id desc limit 1")) {
			if (!row.next()) {
				return new String[] { "NONE", "" };
			}
			String status = row.getString("status");
			if (!"STREAMING".equals(status)) {
				return new String[] { status, row.getString("content") };
			}
			StringBuilder text = new StringBuilder();
			try (ResultSet chunks = s.executeQuery("select content, packed from message_chunk where message_id = "
					+ row.getLong("id") + " order by start_pos")) {
				while (chunks.next()) {
					text.append(BatchText.unpack(chunks.getString(1), chunks.getBytes(2)));
				}
			}
			return new String[] { status, text.toString() };
		}
	}

	private Map<String, Integer> streamingByNode() throws SQLException {
		Map<String, Integer> byNode = new LinkedHashMap<>();
		try (Connection db = DriverManager.getConnection(dbUrl, TestPostgres.USER, "");
				ResultSet rows = db.createStatement()
					.executeQuery("select coalesce(node_id, '-') n, count(*) c from message where status = 'STREAMING'"
							+ " group by node_id order by n")) {
			while (rows.next()) {
				byNode.put(rows.getString("n"), rows.getInt("c"));
			}
		}
		return byNode;
	}

	/** How many of the wave's replies record a seam. */
	private int seamsOfWave(int wave) throws SQLException {
		int seams = 0;
		try (Connection db = DriverManager.getConnection(dbUrl, TestPostgres.USER, "")) {
			for (int i = 0; i < replies; i++) {
				try (ResultSet row = db.createStatement()
					.executeQuery("select seams from message where pane_id = " + Long.parseLong(panes.get(i))
							+ " and role = 'ASSISTANT' order by id desc limit 1")) {
					if (row.next() && !row.getString(1).isEmpty()) {
						seams++;
					}
				}
			}
		}
		return seams;
	}

	// ---- the rest

	private void close() {
		browsers.forEach(ChromeDriver::quit);
		for (AppNode node : nodes) {
			if (node != null) {
				node.close();
			}
		}
		if (haproxy != null) {
			haproxy.destroy();
			try {
				haproxy.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static int count(String log, String regex) {
		Matcher m = Pattern.compile(regex).matcher(log);
		int sum = 0;
		while (m.find()) {
			sum += Integer.parseInt(m.group(1));
		}
		return sum;
	}

	private static String uptime() {
		try {
			return new String(new ProcessBuilder("uptime").start().getInputStream().readAllBytes()).strip();
		}
		catch (IOException e) {
			return "?";
		}
	}

	private static String git(String... args) {
		List<String> command = new ArrayList<>(List.of("git"));
		command.addAll(List.of(args));
		try {
			return new String(new ProcessBuilder(command).start().getInputStream().readAllBytes()).strip();
		}
		catch (IOException e) {
			return "?";
		}
	}

	@SuppressWarnings("unchecked")
	private static String markdown(Map<String, Object> r) {
		StringBuilder md = new StringBuilder(
				"# Scenario 7: rolling restart and kill -9 with %s replies streaming\n\n".formatted(r.get("replies")));
		md.append("Commit ")
			.append(r.get("commit"))
			.append("; answers of ")
			.append(r.get("answer"))
			.append("; `uptime` at start: ")
			.append(r.get("uptimeAtStart"))
			.append("; at end: ")
			.append(r.get("uptimeAtEnd"))
			.append(".\n\n| phase | figure | value |\n|---|---|---|\n");
		for (String phase : List.of("restartNode1", "restartNode2", "kill9Node1")) {
			Object figures = r.get(phase);
			if (figures instanceof Map<?, ?> map) {
				((Map<String, Object>) map).forEach((k, v) -> md.append("| ")
					.append(phase)
					.append(" | ")
					.append(k)
					.append(" | ")
					.append(v)
					.append(" |\n"));
			}
		}
		return md.toString();
	}

	private static void log(String message) {
		System.out.println(String.format(Locale.ROOT, "[bench s10 %s] %s", Instant.now(), message));
	}

}
