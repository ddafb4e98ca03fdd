package dev.streamchat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamchat.StreamChatApplication;

import static org.awaitility.Awaitility.await;

/**
 * The application in a JVM of its own, started from the test classpath, so that a test
 * can kill it the hard way ({@code SIGKILL}: no shutdown hook, no goodbye to the
 * database), as a crashed node.
 */
public final class AppNode implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private AppNode(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts a node with these settings (as {@code --key=value}) and waits until it
	 * serves.
	 */
	public static AppNode start(String name, Map<String, String> settings) {
		try {
			return start(name, settings, freePort());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * Starts a node on {@code port}: a node restarted where its tabs (or a load balancer)
	 * expect it.
	 */
	public static AppNode start(String name, Map<String, String> settings, int port) {
		try {
			Path log = Files.createDirectories(Path.of("target", "nodes")).resolve(name + ".log");
			List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
					"-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", classpath(), StreamChatApplication.class.getName(),
					"--server.port=" + port));
			settings.forEach((key, value) -> command.add("--" + key + "=" + value));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			AppNode node = new AppNode(process, port, log);
			try {
				node.awaitHealthy();
			}
			catch (RuntimeException notUp) {
				// a node that did not come up in time must not outlive the test
				node.close();
				throw notUp;
			}
			return node;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * The node's address by IP: cookies ignore ports, so a browser that also visits
	 * another node on {@code localhost} would otherwise send each node the other's
	 * session cookie.
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	public int port() {
		return port;
	}

	/** Kills the node at once, as a crash or a pulled plug would. */
	public void kill() {
		process.destroyForcibly();
		await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
	}

	/**
	 * Asks the node to stop ({@code SIGTERM}, as systemd or Kubernetes do) and waits
	 * until it has exited.
	 */
	public void terminate() {
		process.destroy();
		await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive());
	}

	/**
	 * Sends {@code SIGTERM} and returns at once: the node drains meanwhile (see
	 * {@link #awaitExit}).
	 */
	public void signalTerminate() {
		process.destroy();
	}

	/** Waits until the node has exited by itself. */
	public void awaitExit(Duration atMost) {
		await().atMost(atMost).until(() -> !process.isAlive());
	}

	public boolean isAlive() {
		return process.isAlive();
	}

	/** The HTTP status of {@code path} on this node (-1 when it does not answer). */
	public int status(String path) {
		try {
			return HttpClient.newBuilder()
				.connectTimeout(Duration.ofSeconds(2))
				.build()
				.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException e) {
			return -1;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/** What the node logged so far. */
	public String log() {
		try {
			return Files.readString(log);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			kill();
		}
	}

	/**
	 * Up to 5 minutes: a start takes 15 s on an idle machine, minutes on a shared, loaded
	 * one.
	 */
	private void awaitHealthy() {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
			.timeout(Duration.ofSeconds(5))
			.build();
		await("node on port " + port + " healthy (log: " + log + ")").atMost(Duration.ofSeconds(300))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("the node exited; see " + log.toAbsolutePath());
				}
				try {
					return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
				}
				catch (IOException notYet) {
					return false;
				}
			});
	}

	/**
	 * Surefire runs tests from a manifest-only jar, but names the real classpath in a
	 * property.
	 */
	private static String classpath() {
		String classpath = System.getProperty("surefire.test.class.path");
		return classpath != null && !classpath.isBlank() ? classpath : System.getProperty("java.class.path");
	}

	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
