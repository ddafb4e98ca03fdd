package dev.streamchat.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * A local HTTP server that speaks Gemini's streaming wire protocol ({@code POST
 * /{v1,v1beta}/models/{model}:streamGenerateContent?alt=sse}, chunked
 * {@code text/event-stream} of {@code data: GenerateContentResponse} events), so the real
 * google-genai SDK can be pointed at it. Replies are scripted: chunk texts and delays,
 * HTTP errors, error events, mid-stream disconnects, and silence until the client gives
 * up. It records every request (with its {@code inlineData} and {@code fileData} parts)
 * and notices when a client closes its connection. It also speaks the Files API's
 * resumable upload ({@code /upload/v1beta/files}), keeps uploaded files for their
 * lifetime (48 h unless told otherwise) and, as Gemini does, refuses a request that names
 * a file it does not have.
 * <p>
 * Raw sockets rather than an HTTP library, so that a disconnect is a real one: the
 * chunked body ends without its terminating chunk, as when a connection breaks.
 */
public final class FakeGemini implements AutoCloseable {

	private static final Pattern PATH = Pattern.compile("/(v1|v1beta)/models/([^/:]+):streamGenerateContent");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static volatile @Nullable FakeGemini shared;

	private final ServerSocket server;

	private final Thread acceptor;

	private final CountDownLatch closed = new CountDownLatch(1);

	private final Map<String, BlockingQueue<Reply>> byPrompt = new LinkedHashMap<>();

	private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final List<Instant> clientCloses = new CopyOnWriteArrayList<>();

	/**
	 * Files API: upload sessions begun (by id) and files stored (by uri), as Gemini keeps
	 * them.
	 */
	private final Map<String, UploadSession> uploadSessions = new ConcurrentHashMap<>();

	private final Map<String, UploadedFile> files = new ConcurrentHashMap<>();

	private final List<UploadedFile> uploads = new CopyOnWriteArrayList<>();

	private volatile Duration fileLifetime = Duration.ofHours(48);

	private final List<Socket> open = new CopyOnWriteArrayList<>();

	private volatile Reply fallback = Reply.chunks("Hello", " from", " the", " fake", " Gemini.");

	private volatile @Nullable Consumer<String> eventLog;

	/**
	 * Refuse Google Search together with function declarations, as Gemini 2.x models do
	 * (400).
	 */
	private volatile boolean refuseSearchWithFunctions;

	private FakeGemini(int port) throws IOException {
		server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
		acceptor = Thread.ofPlatform().daemon().name("fake-gemini-accept").start(this::acceptLoop);
	}

	public static FakeGemini start() {
		return start(0);
	}

	public static FakeGemini start(int port) {
		try {
			return new FakeGemini(port);
		}
		catch (IOException e) {
			throw new IllegalStateException("cannot start the fake Gemini server", e);
		}
	}

	/**
	 * One server for the whole test JVM, so Spring test contexts (keyed by its URL) can
	 * be shared.
	 */
	public static synchronized FakeGemini shared() {
		if (shared == null) {
			shared = start();
		}
		return shared;
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + server.getLocalPort();
	}

	public int port() {
		return server.getLocalPort();
	}

	/**
	 * Forgets scripts and recordings; the fallback reply becomes the default greeting
	 * again.
	 */
	public synchronized void reset() {
		byPrompt.clear();
		queue.clear();
		requests.clear();
		clientCloses.clear();
		uploadSessions.clear();
		files.clear();
		uploads.clear();
		fileLifetime = Duration.ofHours(48);
		fallback = Reply.chunks("Hello", " from", " the", " fake", " Gemini.");
		refuseSearchWithFunctions = false;
	}

	/**
	 * Answer 400 to a request with both Google Search and function declarations, as
	 * Gemini 2.x models do.
	 */
	public FakeGemini refuseSearchWithFunctions(boolean refuse) {
		refuseSearchWithFunctions = refuse;
		return this;
	}

	/**
	 * The reply to the next request whose last user text contains {@code promptPart}
	 * (several queue up).
	 */
	public synchronized FakeGemini when(String promptPart, Reply reply) {
		byPrompt.computeIfAbsent(promptPart, k -> new LinkedBlockingQueue<>()).add(reply);
		return this;
	}

	/** The reply to the next request that no {@link #when} script matches. */
	public FakeGemini enqueue(Reply reply) {
		queue.add(reply);
		return this;
	}

	/** The reply when nothing else is scripted. */
	public FakeGemini fallback(Reply reply) {
		fallback = reply;
		return this;
	}

	/**
	 * Called with a line per event written (for benchmarks that time chunks); null to
	 * stop.
	 */
	public void eventLog(@Nullable Consumer<String> log) {
		this.eventLog = log;
	}

	public List<RecordedRequest> requests() {
		return List.copyOf(requests);
	}

	/**
	 * When clients closed a connection while a reply was still being written or held
	 * open.
	 */
	public List<Instant> clientCloses() {
		return List.copyOf(clientCloses);
	}

	@Override
	public void close() {
		closed.countDown();
		try {
			server.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
		open.forEach(FakeGemini::closeQuietly);
	}

	// ---- Files API

	/** A file as the Files API stored it. */
	public record UploadedFile(String name, String uri, String mimeType, String displayName, byte[] bytes,
			Instant expiresAt) {
	}

	private record UploadSession(String mimeType, String displayName, long declaredLength,
			ByteArrayOutputStream received) {
	}

	/** Every file uploaded through the Files API since the last reset, in order. */
	public List<UploadedFile> uploads() {
		return List.copyOf(uploads);
	}

	/**
	 * How long an uploaded file lives (Gemini: 48 h); after that a request naming it is
	 * refused, as Gemini does.
	 */
	public FakeGemini fileLifetime(Duration lifetime) {
		fileLifetime = lifetime;
		return this;
	}

	// ---- scripts

	/** A scripted answer to one request. */
	public sealed interface Reply {

		static Stream chunks(String... texts) {
			return chunks(List.of(texts));
		}

		static Stream chunks(List<String> texts) {
			return events(texts.stream().map(Chunk::text).toList());
		}

		/**
		 * A stream of answer text, thought summaries and function calls, one event per
		 * chunk.
		 */
		static Stream events(Chunk... chunks) {
			return events(List.of(chunks));
		}

		static Stream events(List<Chunk> chunks) {
			return new Stream(List.copyOf(chunks), Duration.ZERO, Duration.ZERO, "STOP", Ending.COMPLETE, null, -1,
					null, Map.of());
		}

		/**
		 * A 429 as Gemini sends it: RetryInfo with the delay, QuotaFailure naming the
		 * quota.
		 */
		static HttpError rateLimited(String retryDelay, String quotaId) {
			return new HttpError(429,
					"""
							{"error": {"code": 429, "message": "You exceeded your current quota.", "status": "RESOURCE_EXHAUSTED",
							  "details": [
							    {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
							     "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
							                     "quotaId": "%s"}]},
							    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "%s"}]}}"""
						.formatted(quotaId, retryDelay),
					Map.of());
		}

		static HttpError httpError(int status, String apiStatus, String message) {
			return new HttpError(status, """
					{"error": {"code": %d, "message": %s, "status": "%s"}}""".formatted(status, quote(message),
					apiStatus), Map.of());
		}

	}

	/**
	 * One streamed event: answer text, a thought summary ({@code thought}), or function
	 * calls (parallel when several); {@code groundingMetadata}, raw JSON, goes on the
	 * event's candidate as Google Search grounding does (null: none).
	 */
	public record Chunk(String text, boolean thought, List<Call> calls, @Nullable String groundingMetadata) {

		public Chunk(String text, boolean thought, List<Call> calls) {
			this(text, thought, calls, null);
		}

		/**
		 * This event with {@code groundingMetadata} (see
		 * {@link FakeGemini#groundingMetadata}).
		 */
		public Chunk withGrounding(String groundingMetadata) {
			return new Chunk(text, thought, calls, groundingMetadata);
		}

		public static Chunk text(String text) {
			return new Chunk(text, false, List.of());
		}

		public static Chunk thought(String text) {
			return new Chunk(text, true, List.of());
		}

		public static Chunk call(String name, Map<String, Object> args) {
			return calls(new Call(name, args));
		}

		public static Chunk calls(Call... calls) {
			return new Chunk("", false, List.of(calls));
		}
	}

	public record Call(String name, Map<String, Object> args) {
	}

	/** A web source of a grounded answer. */
	public record WebSource(String title, String uri, @Nullable String domain) {
	}

	/**
	 * {@code groundingMetadata} as Gemini streams it for Google Search grounding: web
	 * chunks, and a support per segment of {@code answer} (the round's whole text) with
	 * its UTF-8 byte offsets, as Gemini counts them, and the chunks behind it; the search
	 * queries and the entry point.
	 * @param supports segment text → indices into {@code sources}
	 */
	public static String groundingMetadata(String answer, List<WebSource> sources, Map<String, List<Integer>> supports,
			List<String> queries, @Nullable String entryPointHtml) {
		ObjectNode metadata = JSON.createObjectNode();
		ArrayNode chunks = metadata.putArray("groundingChunks");
		for (WebSource source : sources) {
			ObjectNode web = chunks.addObject().putObject("web").put("uri", source.uri()).put("title", source.title());
			if (source.domain() != null) {
				web.put("domain", source.domain());
			}
		}
		ArrayNode supportNodes = metadata.putArray("groundingSupports");
		supports.forEach((segment, indices) -> {
			int start = answer.indexOf(segment);
			int startByte = answer.substring(0, start).getBytes(StandardCharsets.UTF_8).length;
			ObjectNode support = supportNodes.addObject();
			support.putObject("segment")
				.put("startIndex", startByte)
				.put("endIndex", startByte + segment.getBytes(StandardCharsets.UTF_8).length)
				.put("text", segment);
			ArrayNode chunkIndices = support.putArray("groundingChunkIndices");
			indices.forEach(chunkIndices::add);
		});
		ArrayNode queryNodes = metadata.putArray("webSearchQueries");
		queries.forEach(queryNodes::add);
		if (entryPointHtml != null) {
			metadata.putObject("searchEntryPoint").put("renderedContent", entryPointHtml);
		}
		return metadata.toString();
	}

	/** usageMetadata of the last event; null lets the fake count tokens itself. */
	public record Usage(int prompt, int candidates, int thoughts) {
	}

	/** How a streamed reply ends. */
	public enum Ending {

		/** A last event with finishReason and usage, then the body ends properly. */
		COMPLETE,
		/**
		 * The connection is closed without ending the chunked body, as when a network
		 * breaks.
		 */
		DISCONNECT,
		/**
		 * Nothing more is sent and the connection is held open until the client closes
		 * it.
		 */
		SILENCE,
		/** An {@code {"error": ...}} event (503) is sent mid-stream. */
		ERROR_EVENT,
		/** A garbled event that is not JSON. */
		MALFORMED

	}

	public record Stream(List<Chunk> chunks, Duration firstDelay, Duration delay, @Nullable String finishReason,
			Ending ending, @Nullable Usage usage, int holdAfter, @Nullable CountDownLatch gate,
			Map<String, String> headers) implements Reply {

		public Stream every(Duration chunkDelay) {
			return new Stream(chunks, firstDelay, chunkDelay, finishReason, ending, usage, holdAfter, gate, headers);
		}

		public Stream after(Duration before) {
			return new Stream(chunks, before, delay, finishReason, ending, usage, holdAfter, gate, headers);
		}

		public Stream finishReason(String reason) {
			return new Stream(chunks, firstDelay, delay, reason, ending, usage, holdAfter, gate, headers);
		}

		public Stream then(Ending end) {
			return new Stream(chunks, firstDelay, delay, finishReason, end, usage, holdAfter, gate, headers);
		}

		/**
		 * After {@code chunks} chunks, send nothing until {@code release} is counted down
		 * (the test's cue).
		 */
		public Stream holdAfter(int chunks, CountDownLatch release) {
			return new Stream(this.chunks, firstDelay, delay, finishReason, ending, usage, chunks, release, headers);
		}

		public Stream usage(int prompt, int candidates, int thoughts) {
			return new Stream(chunks, firstDelay, delay, finishReason, ending, new Usage(prompt, candidates, thoughts),
					holdAfter, gate, headers);
		}

		/** The answer text (thoughts excluded). */
		public String fullText() {
			StringBuilder text = new StringBuilder();
			chunks.stream().filter(c -> !c.thought()).forEach(c -> text.append(c.text()));
			return text.toString();
		}
	}

	/**
	 * A model asked to go on with an answer that was cut short (the request ends with the
	 * partial answer as the model's turn and a request to continue): it picks the one of
	 * {@code originals} whose text starts with that partial answer and sends the rest of
	 * it, in the original's chunks and pace, starting {@code repeat} characters early, as
	 * models like to repeat the end of what they had written.
	 */
	public record Resume(List<Stream> originals, int repeat) implements Reply {

		Stream streamFor(RecordedRequest request) {
			List<Turn> turns = request.contents();
			String partial = "";
			for (int i = turns.size() - 1; i >= 0; i--) {
				if (turns.get(i).role().equals("model")) {
					partial = turns.get(i).text();
					break;
				}
			}
			for (Stream original : originals) {
				String full = original.fullText();
				if (!partial.isEmpty() && full.startsWith(partial)) {
					int from = Math.max(0, partial.length() - repeat);
					List<String> rest = new ArrayList<>();
					int at = 0;
					for (Chunk chunk : original.chunks()) {
						int end = at + chunk.text().length();
						if (end > from) {
							rest.add(chunk.text().substring(Math.max(0, from - at)));
						}
						at = end;
					}
					return Reply.chunks(rest).after(original.delay()).every(original.delay());
				}
			}
			return Reply.chunks("[no original starts with the partial answer: " + partial.length() + " chars]");
		}
	}

	public record HttpError(int status, String body, Map<String, String> headers) implements Reply {

		public HttpError header(String name, String value) {
			Map<String, String> all = new LinkedHashMap<>(headers);
			all.put(name, value);
			return new HttpError(status, body, all);
		}
	}

	/** A request as the fake received it. */
	public record RecordedRequest(String method, String path, String apiVersion, String model,
			Map<String, String> headers, JsonNode body, Instant at) {

		public @Nullable String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}

		/** (role, text) of each content turn, in order. */
		public List<Turn> contents() {
			List<Turn> turns = new ArrayList<>();
			for (JsonNode content : body.path("contents")) {
				StringBuilder text = new StringBuilder();
				for (JsonNode part : content.path("parts")) {
					text.append(part.path("text").asText(""));
				}
				turns.add(new Turn(content.path("role").asText(""), text.toString()));
			}
			return turns;
		}

		/**
		 * The text of the last user turn that has text (a function-response turn has
		 * none).
		 */
		public String lastUserText() {
			List<Turn> turns = contents();
			for (int i = turns.size() - 1; i >= 0; i--) {
				if (turns.get(i).role().equals("user") && !turns.get(i).text().isEmpty()) {
					return turns.get(i).text();
				}
			}
			return "";
		}

		/**
		 * The {@code functionResponse} objects of the last turn, in order (empty unless
		 * it answers function calls).
		 */
		public List<JsonNode> functionResponses() {
			JsonNode contents = body.path("contents");
			List<JsonNode> responses = new ArrayList<>();
			if (contents.isEmpty()) {
				return responses;
			}
			JsonNode last = contents.get(contents.size() - 1);
			for (JsonNode part : last.path("parts")) {
				if (part.has("functionResponse")) {
					responses.add(part.get("functionResponse"));
				}
			}
			return responses;
		}

		/** Role of each content turn, in order. */
		public List<String> roles() {
			List<String> roles = new ArrayList<>();
			body.path("contents").forEach(c -> roles.add(c.path("role").asText("")));
			return roles;
		}

		/** The system instruction's text, or null when none was sent. */
		public @Nullable String systemInstruction() {
			JsonNode instruction = body.path("systemInstruction");
			if (instruction.isMissingNode()) {
				return null;
			}
			StringBuilder text = new StringBuilder();
			instruction.path("parts").forEach(p -> text.append(p.path("text").asText("")));
			return text.toString();
		}

		/** generationConfig.temperature, or null when not sent. */
		public @Nullable Double temperature() {
			JsonNode t = body.path("generationConfig").path("temperature");
			return t.isMissingNode() || t.isNull() ? null : t.asDouble();
		}

		/**
		 * Keys of the built-in tools requested besides functions ({@code googleSearch},
		 * {@code urlContext}), in order.
		 */
		public List<String> builtInTools() {
			List<String> names = new ArrayList<>();
			for (JsonNode tool : body.path("tools")) {
				tool.fieldNames().forEachRemaining(name -> {
					if (!name.equals("functionDeclarations")) {
						names.add(name);
					}
				});
			}
			return names;
		}

		/** Names of the declared functions. */
		public List<String> toolNames() {
			List<String> names = new ArrayList<>();
			for (JsonNode tool : body.path("tools")) {
				tool.path("functionDeclarations").forEach(f -> names.add(f.path("name").asText()));
			}
			return names;
		}

		/**
		 * The {@code inlineData} parts of every turn, in order: (mimeType, base64 data).
		 */
		public List<InlineData> inlineData() {
			List<InlineData> found = new ArrayList<>();
			for (JsonNode content : body.path("contents")) {
				for (JsonNode part : content.path("parts")) {
					if (part.has("inlineData")) {
						found.add(new InlineData(content.path("role").asText(""),
								part.path("inlineData").path("mimeType").asText(),
								Base64.getDecoder().decode(part.path("inlineData").path("data").asText())));
					}
				}
			}
			return found;
		}

		/** The {@code fileData} parts of every turn, in order. */
		public List<FileRef> fileData() {
			List<FileRef> found = new ArrayList<>();
			for (JsonNode content : body.path("contents")) {
				for (JsonNode part : content.path("parts")) {
					if (part.has("fileData")) {
						found.add(new FileRef(content.path("role").asText(""),
								part.path("fileData").path("mimeType").asText(),
								part.path("fileData").path("fileUri").asText()));
					}
				}
			}
			return found;
		}

		public boolean includesThoughts() {
			return body.path("generationConfig").path("thinkingConfig").path("includeThoughts").asBoolean(false);
		}
	}

	public record Turn(String role, String text) {
	}

	/** An inline file of a request, decoded. */
	public record InlineData(String role, String mimeType, byte[] bytes) {
	}

	/** A reference to an uploaded file in a request. */
	public record FileRef(String role, String mimeType, String uri) {
	}

	// ---- server

	private void acceptLoop() {
		while (closed.getCount() > 0) {
			try {
				Socket socket = server.accept();
				open.add(socket);
				Thread.ofVirtual().name("fake-gemini-conn").start(() -> serve(socket));
			}
			catch (IOException e) {
				if (closed.getCount() > 0) {
					System.err.println("fake Gemini: accept failed: " + e);
				}
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			String requestLine = readLine(in);
			if (requestLine == null || requestLine.isEmpty()) {
				return;
			}
			Map<String, String> headers = new LinkedHashMap<>();
			String line;
			while ((line = readLine(in)) != null && !line.isEmpty()) {
				int colon = line.indexOf(':');
				if (colon > 0) {
					headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
							line.substring(colon + 1).trim());
				}
			}
			byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
			String[] parts = requestLine.split(" ");
			String target = parts.length > 1 ? parts[1] : "/";
			String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
			String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
			if (path.matches("/upload/(v1|v1beta)/files")) {
				serveUpload(out, parts[0], target, headers, body);
				return;
			}
			Matcher matcher = PATH.matcher(path);
			if (!parts[0].equals("POST") || !matcher.matches() || !query.contains("alt=sse")) {
				writeError(out, new HttpError(404,
						"{\"error\":{\"code\":404,\"message\":\"Not found: " + path + "\",\"status\":\"NOT_FOUND\"}}",
						Map.of()));
				return;
			}
			JsonNode json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
			RecordedRequest request = new RecordedRequest(parts[0], path, matcher.group(1), matcher.group(2),
					Map.copyOf(headers), json, Instant.now());
			requests.add(request);
			if (headers.get("x-goog-api-key") == null || headers.get("x-goog-api-key").isBlank()) {
				writeError(out,
						Reply.httpError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers."));
				return;
			}
			if (refuseSearchWithFunctions && request.builtInTools().contains("googleSearch")
					&& !request.toolNames().isEmpty()) {
				writeError(out,
						Reply.httpError(400, "INVALID_ARGUMENT", "Tool use with function calling is unsupported"));
				return;
			}
			HttpError unknownFile = unknownFile(request);
			if (unknownFile != null) {
				writeError(out, unknownFile);
				return;
			}
			Reply reply = replyFor(request);
			switch (reply) {
				case HttpError error -> writeError(out, error);
				case Stream stream -> writeStream(socket, in, out, stream, request.model());
				case Resume resume -> writeStream(socket, in, out, resume.streamFor(request), request.model());
			}
		}
		catch (IOException e) {
			// the client went away: that is what some tests provoke
		}
		finally {
			open.remove(socket);
		}
	}

	/**
	 * The Files API's resumable upload as the SDK speaks it: a {@code start} command with
	 * the file's metadata answered with an upload URL, then the bytes in 8 MB chunks
	 * ({@code upload}), the last one {@code upload, finalize}, answered with the stored
	 * file.
	 */
	private void serveUpload(OutputStream out, String method, String target, Map<String, String> headers, byte[] body)
			throws IOException {
		if (!method.equals("POST") || headers.get("x-goog-api-key") == null) {
			writeError(out, Reply.httpError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers."));
			return;
		}
		String command = headers.getOrDefault("x-goog-upload-command", "");
		if (command.equals("start")) {
			JsonNode file = (body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body)).path("file");
			String id = Long.toHexString(System.nanoTime());
			uploadSessions.put(id,
					new UploadSession(
							headers.getOrDefault("x-goog-upload-header-content-type", file.path("mimeType").asText("")),
							file.path("displayName").asText(""),
							Long.parseLong(headers.getOrDefault("x-goog-upload-header-content-length", "-1")),
							new ByteArrayOutputStream()));
			writeJson(out, 200, "{}", Map.of("X-Goog-Upload-URL", baseUrl() + "/upload/v1beta/files?upload_id=" + id,
					"X-Goog-Upload-Status", "active"));
			return;
		}
		Matcher id = Pattern.compile("upload_id=([0-9a-f]+)").matcher(target);
		UploadSession session = id.find() ? uploadSessions.get(id.group(1)) : null;
		if (session == null) {
			writeError(out, Reply.httpError(404, "NOT_FOUND", "No such upload session."));
			return;
		}
		long offset = Long.parseLong(headers.getOrDefault("x-goog-upload-offset", "-1"));
		if (offset != session.received().size()) {
			writeError(out, Reply.httpError(400, "INVALID_ARGUMENT",
					"Upload offset " + offset + " does not match " + session.received().size() + " bytes received."));
			return;
		}
		session.received().write(body);
		if (!command.contains("finalize")) {
			writeJson(out, 200, "", Map.of("X-Goog-Upload-Status", "active"));
			return;
		}
		uploadSessions.remove(id.group(1));
		String name = "files/" + Long.toHexString(System.nanoTime());
		UploadedFile stored = new UploadedFile(name, baseUrl() + "/v1beta/" + name, session.mimeType(),
				session.displayName(), session.received().toByteArray(), Instant.now().plus(fileLifetime));
		files.put(stored.uri(), stored);
		uploads.add(stored);
		ObjectNode file = JSON.createObjectNode();
		file.putObject("file")
			.put("name", stored.name())
			.put("displayName", stored.displayName())
			.put("mimeType", stored.mimeType())
			.put("sizeBytes", String.valueOf(stored.bytes().length))
			.put("createTime", Instant.now().toString())
			.put("updateTime", Instant.now().toString())
			.put("expirationTime", stored.expiresAt().toString())
			.put("uri", stored.uri())
			.put("state", "ACTIVE")
			.put("source", "UPLOADED");
		writeJson(out, 200, file.toString(), Map.of("X-Goog-Upload-Status", "final"));
	}

	/**
	 * Gemini refuses a request naming a file it does not have (never uploaded, or
	 * expired).
	 */
	private @Nullable HttpError unknownFile(RecordedRequest request) {
		for (FileRef ref : request.fileData()) {
			UploadedFile file = files.get(ref.uri());
			if (file == null || file.expiresAt().isBefore(Instant.now())) {
				return Reply.httpError(403, "PERMISSION_DENIED",
						"You do not have permission to access the File " + ref.uri() + " or it may not exist.");
			}
		}
		return null;
	}

	private static void writeJson(OutputStream out, int status, String json, Map<String, String> headers)
			throws IOException {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status)
			.append(" OK\r\n")
			.append("Content-Type: application/json; charset=UTF-8\r\nContent-Length: ")
			.append(bytes.length)
			.append("\r\nConnection: close\r\n");
		headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
		out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.flush();
	}

	private synchronized Reply replyFor(RecordedRequest request) {
		String prompt = request.lastUserText();
		for (Map.Entry<String, BlockingQueue<Reply>> entry : byPrompt.entrySet()) {
			if (prompt.contains(entry.getKey())) {
				Reply reply = entry.getValue().poll();
				if (reply != null) {
					return reply;
				}
			}
		}
		Reply queued = queue.poll();
		return queued != null ? queued : fallback;
	}

	private void writeStream(Socket socket, InputStream in, OutputStream out, Stream stream, String model)
			throws IOException {
		StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n").append("Content-Type: text/event-stream\r\n")
			.append("Transfer-Encoding: chunked\r\n")
			.append("Connection: close\r\n");
		stream.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
		out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
		out.flush();
		String responseId = Long.toHexString(System.nanoTime());
		int outputTokens = 0;
		long nextCloseCheck = 0;
		for (int i = 0; i < stream.chunks().size(); i++) {
			if (i == stream.holdAfter() && stream.gate() != null && !awaitGate(stream.gate())) {
				return;
			}
			Duration delay = i == 0 ? stream.firstDelay() : stream.delay();
			boolean checkClose = !delay.isZero() && System.nanoTime() >= nextCloseCheck;
			if (checkClose) {
				// a probe costs a millisecond: at most every 20 ms
				nextCloseCheck = System.nanoTime() + 20_000_000L;
			}
			if (!pause(delay) || (checkClose && isClosedByClient(socket, in))) {
				clientCloses.add(Instant.now());
				return;
			}
			Chunk chunk = stream.chunks().get(i);
			outputTokens += Math.max(1, chunk.text().length() / 4);
			boolean last = i == stream.chunks().size() - 1 && stream.ending() == Ending.COMPLETE;
			writeEvent(out, event(chunk, last ? stream.finishReason() : null, last ? outputTokens : -1,
					last ? stream.usage() : null, model, responseId));
			Consumer<String> log = eventLog;
			if (log != null) {
				log.accept(chunk.text());
			}
		}
		switch (stream.ending()) {
			case COMPLETE -> {
				if (stream.chunks().isEmpty()) {
					writeEvent(out, event(Chunk.text(""), stream.finishReason(), 0, stream.usage(), model, responseId));
				}
				out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			case DISCONNECT -> {
				socket.setSoLinger(true, 0);
				socket.close();
			}
			case SILENCE -> {
				// hold the connection until the client gives up (or the fake closes)
				socket.setSoTimeout(100);
				while (closed.getCount() > 0) {
					try {
						if (in.read() < 0) {
							clientCloses.add(Instant.now());
							return;
						}
					}
					catch (SocketTimeoutException stillOpen) {
						// keep waiting
					}
					catch (SocketException reset) {
						clientCloses.add(Instant.now());
						return;
					}
				}
			}
			case ERROR_EVENT -> {
				writeEvent(out,
						"{\"error\": {\"code\": 503, \"message\": \"The model is overloaded. Please try again later.\", \"status\": \"UNAVAILABLE\"}}");
				out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			case MALFORMED -> {
				writeEvent(out, "{\"candidates\": [ this is not json");
				out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
		}
	}

	/**
	 * Whether the client has closed its side (it never sends anything after the request).
	 */
	private static boolean isClosedByClient(Socket socket, InputStream in) {
		try {
			if (in.available() > 0) {
				return false;
			}
			socket.setSoTimeout(1);
			return in.read() < 0;
		}
		catch (SocketTimeoutException open) {
			return false;
		}
		catch (IOException broken) {
			return true;
		}
	}

	private static String event(Chunk chunk, @Nullable String finishReason, int outputTokens, @Nullable Usage scripted,
			String model, String responseId) {
		ObjectNode root = JSON.createObjectNode();
		ObjectNode candidate = ((ArrayNode) root.putArray("candidates")).addObject();
		ObjectNode content = candidate.putObject("content");
		ArrayNode parts = content.putArray("parts");
		if (chunk.calls().isEmpty()) {
			ObjectNode part = parts.addObject().put("text", chunk.text());
			if (chunk.thought()) {
				part.put("thought", true);
			}
		}
		for (Call call : chunk.calls()) {
			// Gemini sends no call id; thinking models attach a signature the client must
			// echo back
			ObjectNode part = parts.addObject();
			ObjectNode functionCall = part.putObject("functionCall").put("name", call.name());
			functionCall.set("args", JSON.valueToTree(call.args()));
			part.put("thoughtSignature", "c2lnbmF0dXJlLW9mLQ==");
		}
		content.put("role", "model");
		if (chunk.groundingMetadata() != null) {
			try {
				candidate.set("groundingMetadata", JSON.readTree(chunk.groundingMetadata()));
			}
			catch (IOException e) {
				throw new IllegalArgumentException("not JSON: " + chunk.groundingMetadata(), e);
			}
		}
		if (finishReason != null) {
			candidate.put("finishReason", finishReason);
		}
		candidate.put("index", 0);
		ObjectNode usage = root.putObject("usageMetadata");
		if (scripted != null) {
			usage.put("promptTokenCount", scripted.prompt());
			usage.put("candidatesTokenCount", scripted.candidates());
			usage.put("thoughtsTokenCount", scripted.thoughts());
			usage.put("totalTokenCount", scripted.prompt() + scripted.candidates() + scripted.thoughts());
			root.put("modelVersion", model);
			root.put("responseId", responseId);
			return root.toString();
		}
		usage.put("promptTokenCount", 7);
		if (outputTokens >= 0) {
			usage.put("candidatesTokenCount", outputTokens);
			usage.put("totalTokenCount", 7 + outputTokens);
		}
		else {
			usage.put("totalTokenCount", 7);
		}
		root.put("modelVersion", model);
		root.put("responseId", responseId);
		return root.toString();
	}

	private static void writeEvent(OutputStream out, String json) throws IOException {
		byte[] payload = ("data: " + json + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
		out.write((Integer.toHexString(payload.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.write(payload);
		out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	private static void writeError(OutputStream out, HttpError error) throws IOException {
		byte[] body = error.body().getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder("HTTP/1.1 ").append(error.status())
			.append(' ')
			.append(reason(error.status()))
			.append("\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ")
			.append(body.length)
			.append("\r\nConnection: close\r\n");
		error.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
		out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
		out.write(body);
		out.flush();
	}

	private static String reason(int status) {
		return switch (status) {
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			case 503 -> "Service Unavailable";
			default -> "Error";
		};
	}

	/**
	 * Holds a stream until the test releases it; false if the fake is shutting down
	 * meanwhile.
	 */
	private boolean awaitGate(CountDownLatch gate) {
		try {
			while (!gate.await(50, TimeUnit.MILLISECONDS)) {
				if (closed.getCount() == 0) {
					return false;
				}
			}
			return true;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Waits like a model thinking; false if the fake is shutting down. */
	private boolean pause(Duration delay) {
		if (delay.isZero()) {
			return true;
		}
		try {
			return !closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static @Nullable String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int c;
		while ((c = in.read()) >= 0) {
			if (c == '\n') {
				break;
			}
			if (c != '\r') {
				line.write(c);
			}
		}
		if (c < 0 && line.size() == 0) {
			return null;
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	private static String quote(String text) {
		try {
			return JSON.writeValueAsString(text);
		}
		catch (JsonProcessingException e) {
			throw new IllegalArgumentException(e);
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

	/**
	 * Runs the fake on its own, for trying the app against scripted answers (and for
	 * benchmarks).
	 */
	public static void main(String[] args) throws InterruptedException {
		int port = args.length > 0 ? Integer.parseInt(args[0]) : 8089;
		FakeGemini fake = start(port);
		List<String> words = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			words.add("word" + i + " ");
		}
		fake.fallback(Reply.chunks(words).every(Duration.ofMillis(50)));
		System.out.println("Fake Gemini listening on " + fake.baseUrl());
		new CountDownLatch(1).await();
	}

}
