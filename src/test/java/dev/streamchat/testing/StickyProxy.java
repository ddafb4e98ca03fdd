package dev.streamchat.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The load balancer of {@code deploy/haproxy.cfg}, in the test and on loopback, for what
 * a rolling restart needs of it (HAProxy is not on the CI machine):
 * <ul>
 * <li>a browser session sticks to the node its cookie {@code SC_NODE} names, also while
 * that node drains and is not ready ({@code option persist});</li>
 * <li>a request whose node does not take connections any more goes to a ready node, and
 * its response sets the cookie to that node ({@code option redispatch});</li>
 * <li>a new session goes to a ready node ({@code /actuator/health/readiness} answers
 * 200), never to a draining one.</li>
 * </ul>
 * A connection is routed by its first request and then relayed byte for byte (keep-alive
 * requests and a websocket stay on that node, as they do through HAProxy until the node
 * goes). It listens on several loopback addresses, so that tabs of one browser, which
 * share cookies by host and not by port, can each have a session of their own.
 */
public final class StickyProxy implements AutoCloseable {

	public static final String COOKIE = "SC_NODE";

	private static final Pattern STICKY = Pattern.compile("(?i)^cookie:.*\\b" + COOKIE + "=([A-Za-z0-9_-]+)");

	private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

	private final Map<String, Integer> nodes = new LinkedHashMap<>();

	private final Map<String, Boolean> ready = new ConcurrentHashMap<>();

	private final List<ServerSocket> listeners = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

	private final ScheduledExecutorService checks = Executors
		.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("sticky-proxy-checks").factory());

	/** Nodes by name (the cookie's value) and port on loopback. */
	public StickyProxy(Map<String, Integer> nodes) {
		this.nodes.putAll(nodes);
		nodes.keySet().forEach(name -> ready.put(name, false));
		checks.scheduleWithFixedDelay(this::checkReadiness, 0, 200, TimeUnit.MILLISECONDS);
	}

	/**
	 * Listens on {@code address} (any of 127.0.0.0/8) and returns its base URL.
	 */
	public String listen(String address) throws IOException {
		ServerSocket server = new ServerSocket();
		server.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 100);
		listeners.add(server);
		Thread.ofVirtual().name("sticky-proxy-" + address).start(() -> accept(server));
		return "http://" + address + ":" + server.getLocalPort();
	}

	/** Whether the proxy's last readiness check of {@code node} passed. */
	public boolean isReady(String node) {
		return ready.getOrDefault(node, false);
	}

	@Override
	public void close() throws IOException {
		checks.shutdownNow();
		for (ServerSocket listener : listeners) {
			listener.close();
		}
	}

	/** HAProxy's {@code option httpchk}, every 200 ms (there: 1 s, 2 to fall). */
	private void checkReadiness() {
		nodes.forEach((name, port) -> ready.put(name, status(port) == 200));
	}

	private int status(int port) {
		try {
			return http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding())
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

	private void accept(ServerSocket server) {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				Thread.ofVirtual().start(() -> route(client));
			}
			catch (IOException e) {
				// closed
			}
		}
	}

	private void route(Socket client) {
		try {
			client.setTcpNoDelay(true);
			InputStream in = client.getInputStream();
			byte[] head = readHead(in);
			if (head.length == 0) {
				client.close();
				return;
			}
			String sticky = stickyNode(head);
			Optional<Upstream> upstream = connect(sticky);
			if (upstream.isEmpty()) {
				client.getOutputStream()
					.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
						.getBytes(StandardCharsets.ISO_8859_1));
				client.close();
				return;
			}
			Socket server = upstream.get().socket();
			server.getOutputStream().write(head);
			server.getOutputStream().flush();
			Thread.ofVirtual().start(() -> pipe(in, client, server));
			InputStream fromServer = server.getInputStream();
			if (!upstream.get().node().equals(sticky)) {
				// a session new to this node, or sent over from a node that went: it
				// sticks here from now on
				byte[] response = readHead(fromServer);
				client.getOutputStream().write(withCookie(response, upstream.get().node()));
			}
			pipe(fromServer, server, client);
		}
		catch (IOException e) {
			closeQuietly(client);
		}
	}

	private record Upstream(String node, Socket socket) {
	}

	/**
	 * The sticky node if it takes the connection, else a ready node that does, else any
	 * that does.
	 */
	private Optional<Upstream> connect(@Nullable String sticky) {
		List<String> order = new ArrayList<>();
		if (sticky != null && nodes.containsKey(sticky)) {
			order.add(sticky);
		}
		nodes.keySet().stream().filter(n -> !order.contains(n) && isReady(n)).forEach(order::add);
		nodes.keySet().stream().filter(n -> !order.contains(n)).forEach(order::add);
		for (String node : order) {
			try {
				Socket socket = new Socket(InetAddress.getLoopbackAddress(), nodes.getOrDefault(node, 0));
				socket.setTcpNoDelay(true);
				return Optional.of(new Upstream(node, socket));
			}
			catch (IOException refused) {
				// gone: the next one (redispatch)
			}
		}
		return Optional.empty();
	}

	private static @Nullable String stickyNode(byte[] head) {
		for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n")) {
			Matcher m = STICKY.matcher(line);
			if (m.find()) {
				return m.group(1);
			}
		}
		return null;
	}

	/** The response's head with the affinity cookie added. */
	private static byte[] withCookie(byte[] response, String node) {
		int end = indexOf(response, END_OF_HEAD);
		if (end < 0) {
			return response;
		}
		byte[] cookie = ("\r\nSet-Cookie: " + COOKIE + "=" + node + "; Path=/; HttpOnly; SameSite=Lax")
			.getBytes(StandardCharsets.ISO_8859_1);
		ByteArrayOutputStream out = new ByteArrayOutputStream(response.length + cookie.length);
		out.write(response, 0, end);
		out.write(cookie, 0, cookie.length);
		out.write(response, end, response.length - end);
		return out.toByteArray();
	}

	/**
	 * Reads until the end of an HTTP head (and what came with it in the same reads);
	 * empty when the peer closed first.
	 */
	private static byte[] readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		while (indexOf(head.toByteArray(), END_OF_HEAD) < 0) {
			int read = in.read(buffer);
			if (read < 0) {
				return head.toByteArray();
			}
			head.write(buffer, 0, read);
			if (head.size() > 256 * 1024) {
				throw new IOException("no end of the HTTP head");
			}
		}
		return head.toByteArray();
	}

	private static int indexOf(byte[] bytes, byte[] part) {
		outer: for (int i = 0; i <= bytes.length - part.length; i++) {
			for (int j = 0; j < part.length; j++) {
				if (bytes[i + j] != part[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/** Relays until either side closes, then closes both. */
	private static void pipe(InputStream in, Socket from, Socket to) {
		try (OutputStream out = to.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException e) {
			// either side went
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
	}

}
