package dev.streamchat.model.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GoogleSearch;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.Tool;
import com.google.genai.types.UrlContext;
import com.sun.net.httpserver.HttpServer;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.FileTransferProperties;
import dev.streamchat.model.ModelProperties;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.ToolSpec;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** The real model: Gemini through the official google-genai SDK. */
public class GeminiChatModel implements ChatModel, AutoCloseable {

	/** A prompt that links to a web page: URL context lets the model read it. */
	private static final Pattern URL = Pattern.compile("https?://\\S+");

	private static final Logger log = LoggerFactory.getLogger(GeminiChatModel.class);

	private final ModelProperties properties;

	private final Client client;

	private final boolean includeThoughts;

	/**
	 * Models that refused web search together with function calling (400): from then on
	 * they get search without the app's tools, and the user is told so, instead of a
	 * failed request each time.
	 */
	private final Set<String> searchWithoutFunctions = ConcurrentHashMap.newKeySet();

	private final GeminiFiles files;

	private final JsonMapper json;

	/**
	 * @param json Boot's, for the error bodies the SDK's exceptions drop
	 */
	public GeminiChatModel(ModelProperties properties, JsonMapper json) {
		this(properties, FileTransferProperties.defaults(), json);
	}

	/**
	 * @param json Boot's, for the error bodies the SDK's exceptions drop
	 */
	public GeminiChatModel(ModelProperties properties, FileTransferProperties fileTransfer, JsonMapper json) {
		this.properties = properties;
		this.json = json;
		this.client = client(properties, properties.apiKey(), properties.baseUrl(), json);
		this.includeThoughts = properties.includeThoughts();
		this.files = new GeminiFiles(client, fileTransfer, Clock.systemUTC());
	}

	private static Client client(ModelProperties properties, @Nullable String apiKey, @Nullable String baseUrl,
			JsonMapper json) {
		// Our own OkHttp client so that a stalled stream hits a read (idle) timeout and
		// Stop can cancel the call; the SDK keeps both and adds its interceptors on top.
		OkHttpClient http = new OkHttpClient.Builder().connectTimeout(properties.connectTimeout())
			.readTimeout(properties.idleTimeout())
			.writeTimeout(properties.connectTimeout())
			.addInterceptor(CancellableCall.interceptor(json))
			.build();
		HttpOptions.Builder httpOptions = HttpOptions.builder()
			.apiVersion(properties.apiVersion())
			// The SDK's own retries are blind to Retry-After, invisible to the user and
			// sleep even after the last attempt; retrying is the streaming service's
			// decision.
			.retryOptions(HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build());
		if (baseUrl != null && !baseUrl.isBlank()) {
			httpOptions.baseUrl(baseUrl);
		}
		return Client.builder()
			.apiKey(apiKey)
			.httpOptions(httpOptions.build())
			.clientOptions(ClientOptions.builder().customHttpClient(http).build())
			.build();
	}

	/**
	 * Streams one request, as a prompt does, through a client like the real one but
	 * pointed at a server on the loopback interface that answers with a canned reply and
	 * a dummy key: the SDK, OkHttp, JSON and the stream's parsing are loaded and compiled
	 * before the first prompt, and neither Gemini nor the key is involved.
	 */
	@Override
	public void warmUp() {
		HttpServer server;
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException e) {
			log.debug("No warm-up: {}", e.toString());
			return;
		}
		server.createContext("/", exchange -> {
			try (exchange) {
				exchange.getRequestBody().readAllBytes();
				byte[] body = WARM_UP_REPLY.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
			}
		});
		server.start();
		try (Client loopback = client(properties, "warm-up-not-a-key",
				"http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort(), json)) {
			ModelRequest request = new ModelRequest(WARM_UP_MODEL,
					List.of(new ModelRequest.Turn(ModelRequest.Author.USER, "Hello"),
							new ModelRequest.Turn(ModelRequest.Author.MODEL, "Hi."),
							new ModelRequest.Turn(ModelRequest.Author.USER, "Warm up")),
					"Be brief.", 0.7, List.of(new ToolSpec("clock", "The time", Map.of("type", "object"))), false);
			try (ModelStream stream = stream(loopback, request)) {
				while (stream.next() != null) {
					// read to the end, as a reply is
				}
			}
		}
		catch (RuntimeException e) {
			log.debug("Warm-up of the Gemini client failed (no harm done): {}", e.toString());
		}
		finally {
			server.stop(0);
		}
	}

	private static final String WARM_UP_MODEL = "gemini-2.5-flash";

	private static final String WARM_UP_REPLY = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":"
			+ "[{\"text\":\"Warm.\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,"
			+ "\"candidatesTokenCount\":1,\"totalTokenCount\":4}}\r\n\r\n";

	@Override
	public ModelStream stream(ModelRequest request) {
		return stream(client, request);
	}

	private ModelStream stream(Client client, ModelRequest request) {
		// the contents are built on the first next(): attachments may need uploading
		// first, which is part of the request (cancellable by Stop, its failures retried
		// like the request's)
		Function<CancellableCall, List<Content>> contents = call -> contents(request.history(), files.plan(call)::part);
		if (!request.webSearch() || request.tools().isEmpty()) {
			return new GeminiModelStream(client, request.model(), contents, config(request, true), null, null);
		}
		GenerateContentConfig searchOnly = config(request, false);
		if (searchWithoutFunctions.contains(request.model())) {
			return new GeminiModelStream(client, request.model(), contents, searchOnly, null, SEARCH_ONLY_NOTICE);
		}
		// both, unless the model refuses them together: then search only, said plainly
		return new GeminiModelStream(client, request.model(), contents, config(request, true),
				new GeminiModelStream.Fallback(searchOnly, () -> searchWithoutFunctions.add(request.model())), null);
	}

	static List<Content> contents(List<ModelRequest.Turn> history) {
		return contents(history, file -> {
			throw new IllegalStateException("no attachments expected");
		});
	}

	static final String SEARCH_ONLY_NOTICE = "This model cannot search the web and use the app's tools (clock, "
			+ "calculator, conversation search) in one request, so it answered with web search only. Turn "
			+ "\"Search the web\" off to use the tools.";

	/**
	 * The conversation as Gemini's contents. A prompt's files come before its text (as
	 * Gemini advises), each as {@code fileParts} makes it. An earlier answer that called
	 * tools is replayed as it happened: its text up to the calls, the calls, a user turn
	 * with their responses, the text after.
	 */
	static List<Content> contents(List<ModelRequest.Turn> history, Function<ModelRequest.Attachment, Part> fileParts) {
		List<Content> contents = new ArrayList<>();
		for (ModelRequest.Turn turn : history) {
			if (!turn.attachments().isEmpty()) {
				List<Part> parts = new ArrayList<>();
				turn.attachments().forEach(file -> parts.add(fileParts.apply(file)));
				if (!turn.text().isBlank()) {
					parts.add(Part.fromText(turn.text()));
				}
				contents.add(Content.builder()
					.role(turn.author() == ModelRequest.Author.USER ? "user" : "model")
					.parts(parts)
					.build());
				continue;
			}
			String role = turn.author() == ModelRequest.Author.USER ? "user" : "model";
			String text = turn.text();
			int from = 0;
			int at = 0;
			List<ModelRequest.ToolUse> uses = turn.toolUses();
			while (at < uses.size()) {
				int anchor = Math.clamp(uses.get(at).anchor(), from, text.length());
				List<Part> calls = new ArrayList<>();
				List<Part> responses = new ArrayList<>();
				if (anchor > from) {
					calls.add(Part.fromText(text.substring(from, anchor)));
				}
				// calls made at the same offset were one round: answered together
				for (int round = uses.get(at).anchor(); at < uses.size() && uses.get(at).anchor() == round; at++) {
					ModelRequest.ToolUse use = uses.get(at);
					calls.add(Part.builder()
						.functionCall(FunctionCall.builder().name(use.name()).args(use.args()).build())
						.build());
					responses.add(Part.builder()
						.functionResponse(FunctionResponse.builder().name(use.name()).response(use.response()).build())
						.build());
				}
				contents.add(Content.builder().role("model").parts(calls).build());
				contents.add(Content.builder().role("user").parts(responses).build());
				from = anchor;
			}
			if (from < text.length() || uses.isEmpty()) {
				contents.add(Content.builder().role(role).parts(Part.fromText(text.substring(from))).build());
			}
		}
		return contents;
	}

	private GenerateContentConfig config(ModelRequest request, boolean withFunctions) {
		GenerateContentConfig.Builder config = GenerateContentConfig.builder();
		if (request.systemInstruction() != null && !request.systemInstruction().isBlank()) {
			// no role: a system instruction is neither the user's nor the model's turn
			config.systemInstruction(Content.builder().parts(Part.fromText(request.systemInstruction())).build());
		}
		if (request.temperature() != null) {
			config.temperature(request.temperature().floatValue());
		}
		List<Tool> tools = new ArrayList<>();
		if (withFunctions && !request.tools().isEmpty()) {
			tools.add(Tool.builder()
				.functionDeclarations(request.tools()
					.stream()
					.map(spec -> FunctionDeclaration.builder()
						.name(spec.name())
						.description(spec.description())
						.parametersJsonSchema(spec.parameters())
						.build())
					.toList())
				.build());
		}
		if (request.webSearch()) {
			tools.add(Tool.builder().googleSearch(GoogleSearch.builder().build()).build());
			if (URL.matcher(request.lastUserText()).find()) {
				tools.add(Tool.builder().urlContext(UrlContext.builder().build()).build());
			}
		}
		if (!tools.isEmpty()) {
			config.tools(tools);
		}
		if (includeThoughts && isThinkingModel(request.model())) {
			// thought summaries only; the thinking budget stays the model's own. Older
			// models reject a thinking config, so only the families that think get one.
			config.thinkingConfig(ThinkingConfig.builder().includeThoughts(true).build());
		}
		return config.build();
	}

	static boolean isThinkingModel(String model) {
		return model.contains("2.5") || model.startsWith("gemini-3");
	}

	@Override
	public void close() {
		client.close();
	}

}
