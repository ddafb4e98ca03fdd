package dev.streamchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * One browser tab without a browser: signs in over HTTP, has the server create its Vaadin
 * UI (the chat view, as a page load does), and opens the UI's push websocket speaking
 * Atmosphere's protocol as Vaadin's client does. Every push message is parsed as the
 * client would: the UIDL's state-tree changes are applied to a mirror of the UI's nodes,
 * from which the text the tab would show is read at the end; and the first arrival of
 * every benchmark marker is stamped, so token→push latency is measured on what went over
 * the wire, past the whole UI layer, with no browser to saturate (issue 15, scenario 7).
 */
final class PushTab implements WebSocket.Listener, AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** -Dbench.s7.debug=true prints what the push connection receives. */
	private static final boolean DEBUG = Boolean.getBoolean("bench.s7.debug");

	private static final Pattern MARKER = Pattern.compile("zq(\\d+)x(\\d+)k");

	private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

	private static final Pattern SESSION = Pattern.compile("JSESSIONID=([^;]+)");

	private final HttpClient http;

	private final String base;

	private String cookie = "";

	private @Nullable WebSocket socket;

	/** The UIDL state tree as the client holds it: node id → feature → key → value. */
	private final Map<Integer, Map<Integer, Object>> nodes = new HashMap<>();

	/** Received but not yet complete Atmosphere frames. */
	private final StringBuilder pending = new StringBuilder();

	private final StringBuilder fragment = new StringBuilder();

	private boolean handshakeSeen;

	/** marker "stream.seq" → epoch ms it first arrived here */
	final Map<String, Double> seen = new ConcurrentHashMap<>();

	final AtomicLong pushes = new AtomicLong();

	final AtomicLong pushChars = new AtomicLong();

	private final CompletableFuture<Void> open = new CompletableFuture<>();

	volatile @Nullable Throwable failure;

	/** Why the server closed the push connection, if it did. */
	volatile @Nullable String closed;

	PushTab(HttpClient http, String base) {
		this.http = http;
		this.base = base;
	}

	/** Signs in as {@code user}, loads the chat view and opens its push connection. */
	void open(String user, String password) throws Exception {
		String login = get("/login");
		Matcher csrf = CSRF.matcher(login);
		if (!csrf.find()) {
			throw new IllegalStateException("no CSRF token on the login page");
		}
		HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(base + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1)))));
		if (posted.statusCode() != 302 || posted.headers().firstValue("Location").orElse("").contains("error")) {
			throw new IllegalStateException("sign-in refused: " + posted.statusCode() + " " + posted.headers().map());
		}
		JsonNode init = JSON.readTree(get("/?v-r=init&location=&query=&v-sh=1080&v-sw=1920&v-wh=1000&v-ww=1800"
				+ "&v-bh=1000&v-bw=1800&v-curdate=" + System.currentTimeMillis()
				+ "&v-tzo=0&v-dstd=0&v-rtzo=0&v-dston=false&v-tzid=UTC&v-td=false&v-pr=1&v-np=Linux"));
		if (DEBUG) {
			System.out.println("[init] " + init.toString().substring(0, Math.min(2000, init.toString().length())));
		}
		JsonNode config = init.path("appConfig");
		JsonNode uidl = config.path("uidl");
		int uiId = config.path("v-uiId").asInt();
		String pushId = uidl.path("Vaadin-Push-ID").asText();
		apply(uidl);
		String ws = base.replaceFirst("^http", "ws") + "/VAADIN/push?v-r=push&v-uiId=" + uiId + "&v-pushId="
				+ enc(pushId)
				+ "&X-Atmosphere-tracking-id=0&X-Atmosphere-Framework=3.1.5-javascript&X-Atmosphere-Transport=websocket"
				+ "&X-Atmosphere-TrackMessageSize=true&Content-Type=" + enc("application/json; charset=UTF-8")
				+ "&X-atmo-protocol=true";
		socket = http.newWebSocketBuilder()
			.header("Cookie", cookie)
			.connectTimeout(Duration.ofSeconds(30))
			.buildAsync(URI.create(ws), this)
			.get(60, TimeUnit.SECONDS);
		open.get(60, TimeUnit.SECONDS);
		navigate(uiId, uidl.path("Vaadin-Security-Key").asText(), uidl.path("syncId").asInt());
	}

	/**
	 * The client's router asks the server to show the chat view (route ""), as Flow.js
	 * does once its client is loaded: a {@code ui-navigate} event on the UI's root node.
	 */
	private void navigate(int uiId, String csrfToken, int syncId) throws Exception {
		String body = JSON.writeValueAsString(Map.of("csrfToken", csrfToken, "rpc",
				List.of(Map.of("type", "event", "node", 1, "event", "ui-navigate", "data",
						Map.of("route", "", "query", "", "appShellTitle", "", "trigger", ""))),
				"syncId", syncId, "clientId", 0));
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/?v-r=uidl&v-uiId=" + uiId))
			.header("Content-Type", "application/json; charset=UTF-8")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		if (response.statusCode() != 200) {
			throw new IOException("navigation -> " + response.statusCode());
		}
		if (DEBUG) {
			System.out.println("[navigate] " + response.body().substring(0, Math.min(600, response.body().length())));
		}
		onMessage(response.body(), nowMillis());
	}

	private String get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
		if (response.statusCode() != 200) {
			throw new IOException(path + " -> " + response.statusCode());
		}
		return response.body();
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		if (!cookie.isEmpty()) {
			request.header("Cookie", cookie);
		}
		HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(120)).build(),
				HttpResponse.BodyHandlers.ofString());
		for (String set : response.headers().allValues("Set-Cookie")) {
			Matcher m = SESSION.matcher(set);
			if (m.find()) {
				cookie = "JSESSIONID=" + m.group(1);
			}
		}
		return response;
	}

	private static String enc(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

	// ---- Atmosphere

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(1);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		double now = nowMillis();
		if (DEBUG) {
			System.out.println("[push] " + data.subSequence(0, Math.min(400, data.length())));
		}
		try {
			fragment.append(data);
			if (last) {
				pending.append(fragment);
				fragment.setLength(0);
				drain(now);
			}
		}
		catch (RuntimeException | IOException e) {
			failure = e;
		}
		webSocket.request(1);
		return null;
	}

	/**
	 * Takes complete messages ({@code length|payload}, length in characters) off the
	 * received text; the first is Atmosphere's handshake ({@code uuid|heartbeat|X|}).
	 */
	private void drain(double now) throws IOException {
		while (true) {
			int bar = pending.indexOf("|");
			if (bar < 0) {
				return;
			}
			int length = Integer.parseInt(pending.substring(0, bar).trim());
			if (pending.length() < bar + 1 + length) {
				return;
			}
			String message = pending.substring(bar + 1, bar + 1 + length);
			pending.delete(0, bar + 1 + length);
			if (!handshakeSeen) {
				handshakeSeen = true;
				open.complete(null);
				continue;
			}
			if (message.isBlank() || message.equals("X")) {
				continue; // heartbeat / padding
			}
			onMessage(message, now);
		}
	}

	private void onMessage(String message, double now) throws IOException {
		pushes.incrementAndGet();
		pushChars.addAndGet(message.length());
		Matcher m = MARKER.matcher(message);
		while (m.find()) {
			seen.putIfAbsent(m.group(1) + "." + m.group(2), now);
		}
		String json = message.startsWith("for(;;);") ? message.substring("for(;;);".length()) : message;
		JsonNode node = JSON.readTree(json);
		if (node.isArray()) {
			for (JsonNode uidl : node) {
				apply(uidl);
			}
		}
		else {
			apply(node);
		}
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		failure = error;
		open.completeExceptionally(error);
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		closed = statusCode + " " + reason;
		if (!open.isDone()) {
			open.completeExceptionally(new IllegalStateException("push closed: " + statusCode + " " + reason));
		}
		return null;
	}

	// ---- the state tree

	/** Applies a UIDL message's changes to the mirror, as Flow's client does. */
	private synchronized void apply(JsonNode uidl) {
		for (JsonNode change : uidl.path("changes")) {
			int id = change.path("node").asInt();
			String type = change.path("type").asText();
			switch (type) {
				case "attach" -> nodes.computeIfAbsent(id, k -> new HashMap<>());
				case "detach" -> nodes.remove(id);
				case "put" -> map(id, change.path("feat").asInt()).put(change.path("key").asText(),
						change.has("nodeValue") ? (Object) change.path("nodeValue").asInt()
								: change.path("value").isTextual() ? change.path("value").asText()
										: change.path("value").toString());
				case "remove" -> map(id, change.path("feat").asInt()).remove(change.path("key").asText());
				case "clear" -> {
					Map<Integer, Object> features = nodes.computeIfAbsent(id, k -> new HashMap<>());
					features.remove(change.path("feat").asInt());
				}
				case "splice" -> {
					List<Object> list = list(id, change.path("feat").asInt());
					int index = change.path("index").asInt();
					int remove = change.path("remove").asInt(0);
					for (int i = 0; i < remove && index < list.size(); i++) {
						list.remove(index);
					}
					List<Object> add = new ArrayList<>();
					change.path("addNodes").forEach(n -> add.add(n.asInt()));
					change.path("add").forEach(v -> add.add(v.isTextual() ? v.asText() : v.toString()));
					list.addAll(Math.min(index, list.size()), add);
				}
				default -> {
					// other change kinds carry nothing shown as text
				}
			}
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> map(int node, int feature) {
		return (Map<String, Object>) nodes.computeIfAbsent(node, k -> new HashMap<>())
			.computeIfAbsent(feature, k -> new HashMap<String, Object>());
	}

	@SuppressWarnings("unchecked")
	private List<Object> list(int node, int feature) {
		return (List<Object>) nodes.computeIfAbsent(node, k -> new HashMap<>())
			.computeIfAbsent(feature, k -> new ArrayList<>());
	}

	/**
	 * The text this tab shows, in document order: the text nodes and every element's
	 * {@code innerHTML} with tags and entities resolved, from each node that no other
	 * holds as a child (the UI, and the view's wrapper, a virtual child of the UI).
	 */
	synchronized String text() {
		Set<Integer> held = new HashSet<>();
		nodes.values().forEach(features -> {
			for (int list : new int[] { 2, 24 }) {
				if (features.get(list) instanceof List<?> children) {
					children.forEach(c -> {
						if (c instanceof Integer id) {
							held.add(id);
						}
					});
				}
			}
		});
		StringBuilder text = new StringBuilder();
		nodes.keySet().stream().filter(id -> !held.contains(id)).sorted().forEach(id -> appendText(id, text, 0));
		return text.toString();
	}

	@SuppressWarnings("unchecked")
	private void appendText(int id, StringBuilder text, int depth) {
		Map<Integer, Object> features = nodes.get(id);
		if (features == null || depth > 200) {
			return;
		}
		if (features.get(7) instanceof Map<?, ?> textNode && textNode.get("text") instanceof String s) {
			text.append(s).append(' ');
		}
		if (features.get(1) instanceof Map<?, ?> properties && properties.get("innerHTML") instanceof String html) {
			text.append(html.replaceAll("<[^>]*>", " ")
				.replace("&lt;", "<")
				.replace("&gt;", ">")
				.replace("&quot;", "\"")
				.replace("&#39;", "'")
				.replace("&amp;", "&")).append(' ');
		}
		for (int list : new int[] { 2, 24 }) {
			if (features.get(list) instanceof List<?> children) {
				for (Object child : (List<Object>) children) {
					if (child instanceof Integer c) {
						appendText(c, text, depth + 1);
					}
				}
			}
		}
	}

	/** Latencies (ms) of this tab's markers of the given streams: arrival − written. */
	List<Double> latencies(Set<String> prefixes, ToDoubleFunction<String> written) {
		List<Double> samples = new ArrayList<>();
		seen.forEach((key, at) -> {
			if (prefixes.contains(key.substring(0, key.indexOf('.') + 1))) {
				double w = written.applyAsDouble(key);
				if (!Double.isNaN(w)) {
					samples.add(at - w);
				}
			}
		});
		return samples;
	}

	static double nowMillis() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
	}

	@Override
	public void close() {
		if (socket != null) {
			socket.abort();
		}
	}

}
