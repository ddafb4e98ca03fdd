package dev.streamchat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.streamchat.testing.TestPostgres;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * The packaged application jar in a child JVM, with an H2 file database in a temp
 * directory and the benchmark's hooks ({@code dev.streamchat.bench.app}) added through
 * Spring Boot's {@code PropertiesLauncher} ({@code loader.path}): the same jar for both
 * strategies.
 */
final class AppProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NORMAL)
		.build();

	/**
	 * The benchmark's user; the password is not a secret (a throwaway database per run).
	 */
	static final String USER = "bench";
	static final String PASSWORD = "bench-password-not-secret";

	/**
	 * The strategy name of the minimal Vaadin app ({@code dev.streamchat.bench.minimal}).
	 */
	static final String MINIMAL = "minimal";

	/** {@code -Dbench.db=postgres}: the apps store in the tests' PostgreSQL server. */
	static final String POSTGRES = "postgres";

	final String strategy;

	final String host;

	final int port;

	final int controlPort;

	private final Process process;

	private final Path dir;

	/**
	 * The app's PostgreSQL database ({@code -Dbench.db=postgres}); null: an H2 file
	 * database in {@link #dir}.
	 */
	private final @Nullable String postgresUrl;

	private AppProcess(String strategy, String host, int port, int controlPort, Process process, Path dir) {
		this(strategy, host, port, controlPort, process, dir, null);
	}

	private AppProcess(String strategy, String host, int port, int controlPort, Process process, Path dir,
			@Nullable String postgresUrl) {
		this.postgresUrl = postgresUrl;
		this.strategy = strategy;
		this.host = host;
		this.port = port;
		this.controlPort = controlPort;
		this.process = process;
		this.dir = dir;
	}

	/**
	 * @param host the name the browser uses for this app: cookies are per host name, not
	 * per port, so two apps need two names (localhost, 127.0.0.1) to keep their sessions
	 * apart
	 */
	static AppProcess start(Path jar, Path hooks, String strategy, String host, String fakeUrl, Path logDir)
			throws Exception {
		if (strategy.equals(MINIMAL)) {
			return startMinimal(jar, hooks.resolveSibling("minimal"), host, fakeUrl, logDir, "minimal");
		}
		Path dir = Files.createTempDirectory("streamchat-bench-" + strategy);
		int port = freePort();
		int control = freePort();
		List<String> command = javaCommand(strategy);
		// -Dbench.db=postgres: the tests' PostgreSQL (a database per app) instead of H2;
		// -Dbench.h2Options=";KEY=VALUE" tries H2 settings
		String postgresUrl = POSTGRES.equals(System.getProperty("bench.db", "h2"))
				? TestPostgres.shared().createDatabase() : null;
		List<String> database = postgresUrl == null
				? List.of("--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db").toAbsolutePath()
						+ "/streamchat;AUTO_SERVER=FALSE" + System.getProperty("bench.h2Options", ""))
				: List.of("--spring.datasource.url=" + postgresUrl, "--spring.datasource.username=" + TestPostgres.USER,
						"--spring.datasource.password=");
		command.addAll(List.of("-Dloader.path=" + hooks.toAbsolutePath(),
				"-Dloader.main=dev.streamchat.StreamChatApplication", "-cp", jar.toAbsolutePath().toString(),
				"org.springframework.boot.loader.launch.PropertiesLauncher",
				"--spring.main.sources=dev.streamchat.bench.app.BenchHooks", "--server.port=" + port,
				"--bench.control-port=" + control, "--bench.strategy=" + strategy));
		command.addAll(database);
		command.addAll(List.of("--logging.level.com.google.genai=WARN",
				// one user drives up to 200 streams: lift the per-user limits
				"--chat.budget.concurrent-streams=0", "--chat.budget.prompts-per-minute=0",
				"--chat.budget.daily-tokens=0", "--chat.budget.monthly-tokens=0",
				// a title request after each first answer is not what is measured
				"--chat.history.model-titles=false"));
		// -Dbench.appArgs="--chat.ui.frame-interval=33ms ..." tries settings without a
		// rebuild
		String extra = System.getProperty("bench.appArgs", "");
		if (!extra.isBlank()) {
			command.addAll(List.of(extra.trim().split("\\s+")));
		}
		if (strategy.equals("naive")) {
			// seed plan: every chunk pushed as soon as it is stored, no frame coalescing
			command.add("--chat.ui.frame-interval=0ms");
		}
		Process process = launch(command, fakeUrl, logDir.resolve("app-" + strategy + ".log"));
		AppProcess app = new AppProcess(strategy, host, port, control, process, dir, postgresUrl);
		awaitStarted(process, "http://127.0.0.1:" + port + "/actuator/health",
				logDir.resolve("app-" + strategy + ".log"));
		app.control("/stats", Map.of());
		return app;
	}

	/**
	 * The minimal Vaadin app ({@code dev.streamchat.bench.minimal}) on the packaged jar's
	 * libraries: {@code PropertiesLauncher} with {@code loader.path} holding only that
	 * package and {@code loader.main} naming its main class. No control server, no
	 * database.
	 * @param classes the directory holding {@code dev/streamchat/bench/minimal}
	 */
	static AppProcess startMinimal(Path jar, Path classes, String host, String fakeUrl, Path logDir, String logName)
			throws Exception {
		int port = freePort();
		List<String> command = javaCommand(MINIMAL);
		command.addAll(List.of("-Dloader.path=" + classes.toAbsolutePath(),
				"-Dloader.main=dev.streamchat.bench.minimal.MinimalChat", "-cp", jar.toAbsolutePath().toString(),
				"org.springframework.boot.loader.launch.PropertiesLauncher", "--server.port=" + port,
				"--logging.level.com.google.genai=WARN"));
		Path log = logDir.resolve("app-" + logName + ".log");
		Process process = launch(command, fakeUrl, log);
		AppProcess app = new AppProcess(MINIMAL, host, port, -1, process,
				Files.createTempDirectory("streamchat-bench-minimal"));
		awaitStarted(process, "http://127.0.0.1:" + port + "/", log);
		return app;
	}

	/**
	 * The app as a user starts it, {@code java -jar}, for the start-up rows: no hooks, no
	 * control server. With {@code aot}, the extracted jar with the JDK's AOT cache the
	 * build made ({@code scripts/aot-cache.sh}).
	 * @return the app and how long it took from starting the JVM to the first page
	 * answered (following the sign-in redirect)
	 */
	static Started startPlain(Path jar, boolean aot, String host, String fakeUrl, Path logDir, String logName)
			throws Exception {
		Path dir = Files.createTempDirectory("streamchat-bench-plain");
		int port = freePort();
		List<String> command = javaCommand("ours");
		if (aot) {
			Path extracted = jar.resolveSibling("app");
			command.addAll(List.of("-XX:AOTCache=" + extracted.resolve("app.aot").toAbsolutePath(), "-jar",
					extracted.resolve(jar.getFileName()).toAbsolutePath().toString()));
		}
		else {
			command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
		}
		command.addAll(List.of("--server.port=" + port,
				"--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db").toAbsolutePath()
						+ "/streamchat;AUTO_SERVER=FALSE",
				"--logging.level.com.google.genai=WARN", "--chat.history.model-titles=false"));
		Path log = logDir.resolve("app-" + logName + ".log");
		long t0 = System.nanoTime();
		Process process = launch(command, fakeUrl, log);
		AppProcess app = new AppProcess("ours", host, port, -1, process, dir);
		awaitStarted(process, "http://127.0.0.1:" + port + "/", log);
		return new Started(app, (System.nanoTime() - t0) / 1e9);
	}

	/** As {@link #startPlain}, for the minimal app. */
	static Started startMinimalTimed(Path jar, Path classes, String host, String fakeUrl, Path logDir, String logName)
			throws Exception {
		long t0 = System.nanoTime();
		AppProcess app = startMinimal(jar, classes, host, fakeUrl, logDir, logName);
		return new Started(app, (System.nanoTime() - t0) / 1e9);
	}

	/** A freshly started app and its start-up time (JVM start → first page answered). */
	record Started(AppProcess app, double seconds) {
	}

	private static List<String> javaCommand(String strategy) {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseG1GC"));
		// -Dbench.jvmArgs="-XX:StartFlightRecording=filename=/tmp/app.jfr" profiles the
		// apps
		String jvmArgs = System.getProperty("bench.jvmArgs", "");
		if (!jvmArgs.isBlank()) {
			command.addAll(List.of(jvmArgs.trim().replace("{strategy}", strategy).split("\\s+")));
		}
		return command;
	}

	private static Process launch(List<String> command, String fakeUrl, Path log) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("GEMINI_API_KEY", "bench-dummy-key");
		builder.environment().remove("GOOGLE_API_KEY");
		builder.environment().put("GEMINI_BASE_URL", fakeUrl);
		builder.environment().put("CHAT_SECURITY_BOOTSTRAP_USER", USER);
		builder.environment().put("CHAT_SECURITY_BOOTSTRAP_PASSWORD", PASSWORD);
		builder.redirectErrorStream(true);
		Files.createDirectories(log.getParent());
		builder.redirectOutput(log.toFile());
		return builder.start();
	}

	/**
	 * Polls {@code url} every 20 ms until it answers 200 (redirects followed): the first
	 * page answered.
	 */
	private static void awaitStarted(Process process, String url, Path log) {
		try {
			// minutes: on a shared machine under heavy load a start has taken over two
			Awaitility.await("the app to start (log: " + log + ")")
				.atMost(Duration.ofMinutes(5))
				.pollInterval(Duration.ofMillis(20))
				.ignoreExceptionsInstanceOf(IOException.class)
				.until(() -> {
					if (!process.isAlive()) {
						throw new IllegalStateException("the app exited; see " + log);
					}
					return get(url).contains(url.endsWith("/health") ? "UP" : "");
				});
		}
		catch (RuntimeException notStarted) {
			// no app left running behind a benchmark that gave up on it
			process.destroyForcibly();
			throw notStarted;
		}
	}

	boolean minimal() {
		return strategy.equals(MINIMAL);
	}

	String baseUrl() {
		return "http://" + host + ":" + port;
	}

	/**
	 * This app on another loopback address: a browser keeps a session cookie per host.
	 */
	String baseUrl(String otherHost) {
		return "http://" + otherHost + ":" + port;
	}

	long pid() {
		return process.pid();
	}

	String control(String path, Map<String, String> query) throws IOException, InterruptedException {
		StringBuilder url = new StringBuilder("http://127.0.0.1:" + controlPort + path);
		char sep = '?';
		for (var e : query.entrySet()) {
			url.append(sep)
				.append(e.getKey())
				.append('=')
				.append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
			sep = '&';
		}
		return get(url.toString());
	}

	private static String get(String url) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(
				HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(url + " -> " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	/**
	 * The process's {@code /proc/<pid>/io} counters (write_bytes: what it caused to be
	 * written to disk).
	 */
	Map<String, Long> io() {
		return ProcFs.keyValues(Path.of("/proc", Long.toString(pid()), "io"));
	}

	/**
	 * On PostgreSQL, what the server has written for everyone so far (the benchmark's
	 * apps are its only clients), after a {@code CHECKPOINT} so that the data pages
	 * changed so far are written now rather than at some later checkpoint:
	 * {@code walBytes} (the WAL position) and {@code pageBytes} (8 KB pages written by
	 * the checkpointer, the background writer and backends, {@code pg_stat_io}). Empty on
	 * H2, whose writes are the app process's own ({@link #io()}). The test server runs
	 * with {@code full_page_writes=off}: a production server's WAL is higher after each
	 * checkpoint.
	 */
	Map<String, Long> databaseWrites() throws SQLException {
		if (postgresUrl == null) {
			return Map.of();
		}
		try (Connection db = DriverManager.getConnection(postgresUrl, TestPostgres.USER, "");
				Statement s = db.createStatement()) {
			s.execute("checkpoint");
			// the other processes' statistics reach pg_stat_io when they report them:
			// read until two reads 200 ms apart agree
			List<Long> pages = new ArrayList<>(List.of(pageBytes(s)));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> pages.add(pageBytes(s)) && pages.getLast().equals(pages.get(pages.size() - 2)));
			try (ResultSet r = s.executeQuery("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')")) {
				r.next();
				return Map.of("walBytes", r.getLong(1), "pageBytes", pages.getLast());
			}
		}
	}

	private static long pageBytes(Statement s) throws SQLException {
		try (ResultSet r = s
			.executeQuery("select coalesce(sum(write_bytes), 0) from pg_stat_io where object = 'relation'")) {
			r.next();
			return r.getLong(1);
		}
	}

	/** User + system CPU seconds of the app's JVM so far. */
	double cpuSeconds() {
		return ProcFs.cpuSeconds(pid());
	}

	@Override
	public void close() throws Exception {
		process.destroy();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (UncheckedIOException | IOException ignored) {
			// a temp dir
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
