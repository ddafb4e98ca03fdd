package dev.streamchat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged application jar in a child JVM, with an H2 file database in a temp
 * directory and the benchmark's hooks ({@code dev.streamchat.bench.app}) added through
 * Spring Boot's {@code PropertiesLauncher} ({@code loader.path}): the same jar for both
 * strategies.
 */
final class AppProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/**
	 * The benchmark's user; the password is not a secret (a throwaway database per run).
	 */
	static final String USER = "bench";
	static final String PASSWORD = "bench-password-not-secret";

	final String strategy;

	final String host;

	final int port;

	final int controlPort;

	private final Process process;

	private final Path dir;

	private AppProcess(String strategy, String host, int port, int controlPort, Process process, Path dir) {
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
		Path dir = Files.createTempDirectory("streamchat-bench-" + strategy);
		int port = freePort();
		int control = freePort();
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseG1GC"));
		// -Dbench.jvmArgs="-XX:StartFlightRecording=filename=/tmp/app.jfr" profiles the
		// apps
		String jvmArgs = System.getProperty("bench.jvmArgs", "");
		if (!jvmArgs.isBlank()) {
			command.addAll(List.of(jvmArgs.trim().replace("{strategy}", strategy).split("\\s+")));
		}
		command.addAll(List.of("-Dloader.path=" + hooks.toAbsolutePath(),
				"-Dloader.main=dev.streamchat.StreamChatApplication", "-cp", jar.toAbsolutePath().toString(),
				"org.springframework.boot.loader.launch.PropertiesLauncher",
				"--spring.main.sources=dev.streamchat.bench.app.BenchHooks", "--server.port=" + port,
				"--bench.control-port=" + control, "--bench.strategy=" + strategy,
				"--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db").toAbsolutePath()
						+ "/streamchat;AUTO_SERVER=FALSE",
				"--logging.level.com.google.genai=WARN",
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
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("GEMINI_API_KEY", "bench-dummy-key");
		builder.environment().remove("GOOGLE_API_KEY");
		builder.environment().put("GEMINI_BASE_URL", fakeUrl);
		builder.environment().put("CHAT_SECURITY_BOOTSTRAP_USER", USER);
		builder.environment().put("CHAT_SECURITY_BOOTSTRAP_PASSWORD", PASSWORD);
		builder.redirectErrorStream(true);
		Files.createDirectories(logDir);
		builder.redirectOutput(logDir.resolve("app-" + strategy + ".log").toFile());
		Process process = builder.start();
		AppProcess app = new AppProcess(strategy, host, port, control, process, dir);
		// 5 minutes: on the shared 2 cores, under other builds, a start took 115 s
		try {
			awaitStarted(process, port, logDir.resolve("app-" + strategy + ".log"));
		}
		catch (RuntimeException notStarted) {
			app.close();
			throw notStarted;
		}
		app.control("/stats", Map.of());
		return app;
	}

	private static void awaitStarted(Process process, int port, Path log) {
		org.awaitility.Awaitility.await("the app to start (log: " + log + ")")
			.atMost(Duration.ofMinutes(5))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptionsInstanceOf(IOException.class)
			.until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("the app exited; see " + log);
				}
				return get("http://127.0.0.1:" + port + "/actuator/health").contains("UP");
			});
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
				.append(java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8));
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

	/** User + system CPU seconds of the app's JVM so far. */
	double cpuSeconds() {
		return ProcFs.cpuSeconds(pid());
	}

	@Override
	public void close() throws Exception {
		process.destroy();
		if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
