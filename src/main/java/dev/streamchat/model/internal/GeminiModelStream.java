package dev.streamchat.model.internal;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.errors.ServerException;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.GroundingChunk;
import com.google.genai.types.GroundingMetadata;
import com.google.genai.types.GroundingSupport;
import com.google.genai.types.Part;
import com.google.genai.types.SearchEntryPoint;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelException.Kind;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.SearchGrounding;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import org.jspecify.annotations.Nullable;

/** One streamed Gemini reply; see {@link ModelStream} for the threading contract. */
final class GeminiModelStream implements ModelStream {

	/** Finish reasons that mean the provider withheld (part of) the answer. */
	private static final Set<String> BLOCKING_REASONS = Set.of("SAFETY", "RECITATION", "BLOCKLIST",
			"PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE");

	private final Client client;

	private final String model;

	/**
	 * The conversation so far: grows by the model's turn and the function responses each
	 * round.
	 */
	private @Nullable List<Content> contents;

	/**
	 * Builds the first round's contents (uploading attachments if need be) within this
	 * stream's call.
	 */
	private final Function<CancellableCall, List<Content>> initialContents;

	/**
	 * The model's parts of the current round, kept as received (thought signatures
	 * included).
	 */
	private final List<Part> modelParts = new ArrayList<>();

	private final StringBuilder roundText = new StringBuilder();

	private GenerateContentConfig config;

	/**
	 * What to send instead if the model refuses web search together with function
	 * calling; null: nothing.
	 */
	private @Nullable Fallback fallback;

	/** A notice for the user, delivered as the next chunk; null: none pending. */
	private @Nullable String pendingNotice;

	private final CancellableCall call = new CancellableCall();

	/** The current round's call; null before it starts and once it is closed. */
	private @Nullable ResponseStream<GenerateContentResponse> stream;

	/** The current round's responses; null until the round's request is sent. */
	private @Nullable Iterator<GenerateContentResponse> responses;

	/**
	 * Web search without the app's functions, for a model that refuses both together;
	 * {@code refused} runs when it did, so the adapter remembers it.
	 */
	record Fallback(GenerateContentConfig searchOnly, Runnable refused) {
	}

	GeminiModelStream(Client client, String model, List<Content> contents, GenerateContentConfig config,
			@Nullable Fallback fallback, @Nullable String notice) {
		this(client, model, call -> contents, config, fallback, notice);
	}

	/**
	 * @param contents builds the first round's contents within this stream's call
	 * (uploading attachments if need be), so Stop cancels it and its failures are retried
	 * @param fallback what to send if the model refuses search together with function
	 * calling, or null
	 * @param notice a notice to deliver before the answer (null: none)
	 */
	GeminiModelStream(Client client, String model, Function<CancellableCall, List<Content>> contents,
			GenerateContentConfig config, @Nullable Fallback fallback, @Nullable String notice) {
		this.client = client;
		this.model = model;
		this.initialContents = contents;
		this.config = config;
		this.fallback = fallback;
		this.pendingNotice = notice;
	}

	@Override
	public @Nullable ModelChunk next() {
		try {
			if (contents == null) {
				contents = new ArrayList<>(initialContents.apply(call));
			}
			if (responses == null) {
				stream = call.bind(this::request);
				responses = stream.iterator();
			}
			if (pendingNotice != null) {
				ModelChunk notice = ModelChunk.grounding(SearchGrounding.notice(pendingNotice));
				pendingNotice = null;
				return notice;
			}
			if (!call.bind(responses::hasNext)) {
				return null;
			}
			return toChunk(responses.next());
		}
		catch (ModelException e) {
			throw e;
		}
		catch (RuntimeException e) {
			throw translate(e);
		}
	}

	/**
	 * Sends the request; a model that refuses web search together with function calling
	 * (400) is asked again at once with search only, and the user is told why the tools
	 * were left out.
	 */
	private ResponseStream<GenerateContentResponse> request() {
		try {
			return client.models.generateContentStream(model, contents, config);
		}
		catch (ClientException e) {
			Fallback instead = fallback;
			fallback = null;
			if (instead == null || e.code() != 400 || !refusesSearchWithFunctions(e.message())) {
				throw e;
			}
			instead.refused().run();
			config = instead.searchOnly();
			pendingNotice = GeminiChatModel.SEARCH_ONLY_NOTICE;
			return client.models.generateContentStream(model, contents, config);
		}
	}

	/**
	 * Gemini's words when a model does not take built-in tools (search) and function
	 * declarations together.
	 */
	static boolean refusesSearchWithFunctions(String message) {
		String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
		return lower.contains("function calling") || lower.contains("function_calling")
				|| (lower.contains("tool") && lower.contains("unsupported"));
	}

	@Override
	public void continueWith(List<ToolResult> results) {
		closeRound();
		flushRoundText();
		List<Content> contents = Objects.requireNonNull(this.contents, "a round was sent before this");
		contents.add(Content.builder().role("model").parts(List.copyOf(modelParts)).build());
		modelParts.clear();
		roundText.setLength(0);
		contents.add(Content.builder().role("user").parts(results.stream().map(result -> {
			FunctionResponse.Builder response = FunctionResponse.builder()
				.name(result.call().name())
				.response(result.response());
			if (result.call().id() != null) {
				response.id(result.call().id());
			}
			return Part.builder().functionResponse(response.build()).build();
		}).toList()).build());
		responses = null; // the next call to next() sends the longer conversation
	}

	@Override
	public void cancel() {
		call.cancel();
	}

	@Override
	public void close() {
		if (stream != null) {
			// the connection may still be open when the reader gives up early
			call.cancel();
			closeRound();
		}
	}

	private void closeRound() {
		if (stream != null) {
			try {
				stream.close();
			}
			catch (RuntimeException ignored) {
				// the call was cancelled or already ended: closing can only report that
			}
			stream = null;
		}
	}

	private ModelChunk toChunk(GenerateContentResponse response) {
		StringBuilder text = new StringBuilder();
		StringBuilder thought = new StringBuilder();
		List<ToolCall> calls = new ArrayList<>();
		String finishReason = null;
		List<Candidate> candidates = response.candidates().orElse(List.of());
		if (!candidates.isEmpty()) {
			Candidate first = candidates.getFirst();
			for (Part part : first.content().flatMap(Content::parts).orElse(List.of())) {
				if (part.thought().orElse(false)) {
					part.text().ifPresent(thought::append);
				}
				else if (part.functionCall().isPresent()) {
					var call = part.functionCall().get();
					calls.add(
							new ToolCall(call.id().orElse(null), call.name().orElse(""), call.args().orElse(Map.of())));
					keep(part);
				}
				else {
					part.text().ifPresent(text::append);
					keep(part);
				}
			}
			finishReason = first.finishReason().map(Object::toString).orElse(null);
		}
		response.promptFeedback().flatMap(f -> f.blockReason()).ifPresent(reason -> {
			throw new ModelException(Kind.BLOCKED, 0,
					"The prompt was blocked by the model's safety filters (" + reason + ").", null);
		});
		if (finishReason != null && BLOCKING_REASONS.contains(finishReason)) {
			throw new ModelException(Kind.BLOCKED, 0,
					"The model stopped: the answer was blocked by its safety filters (" + finishReason + ").", null);
		}
		ModelChunk.TokenCounts usage = response.usageMetadata().map(GeminiModelStream::toCounts).orElse(null);
		if ("FINISH_REASON_UNSPECIFIED".equals(finishReason)) {
			finishReason = null;
		}
		SearchGrounding grounding = candidates.isEmpty() ? null
				: candidates.getFirst().groundingMetadata().map(GeminiModelStream::toGrounding).orElse(null);
		return new ModelChunk(text.toString(), thought.toString(), calls, finishReason, usage, grounding);
	}

	/**
	 * groundingMetadata as sent; web sources only (the others do not occur with Google
	 * Search).
	 */
	static SearchGrounding toGrounding(GroundingMetadata metadata) {
		List<SearchGrounding.Source> sources = new ArrayList<>();
		for (GroundingChunk chunk : metadata.groundingChunks().orElse(List.of())) {
			// keep indices aligned with the supports' groundingChunkIndices, whatever
			// kind a chunk is
			sources.add(chunk.web()
				.map(web -> new SearchGrounding.Source(web.title().orElse(null), web.uri().orElse(null),
						web.domain().orElse(null)))
				.orElse(new SearchGrounding.Source(null, null, null)));
		}
		List<SearchGrounding.Support> supports = new ArrayList<>();
		for (GroundingSupport support : metadata.groundingSupports().orElse(List.of())) {
			support.segment()
				.ifPresent(segment -> supports
					.add(new SearchGrounding.Support(segment.startIndex().orElse(0), segment.endIndex().orElse(0),
							segment.text().orElse(null), support.groundingChunkIndices().orElse(List.of()))));
		}
		String entryPoint = metadata.searchEntryPoint().flatMap(SearchEntryPoint::renderedContent).orElse(null);
		return new SearchGrounding(sources, supports, metadata.webSearchQueries().orElse(List.of()), entryPoint, null);
	}

	/**
	 * Keeps a part for the model's turn; plain text is joined and becomes one part when
	 * something else follows.
	 */
	private void keep(Part part) {
		if (part.thoughtSignature().isEmpty() && part.functionCall().isEmpty()) {
			part.text().ifPresent(roundText::append);
			return;
		}
		flushRoundText();
		modelParts.add(part);
	}

	private void flushRoundText() {
		if (!roundText.isEmpty()) {
			modelParts.add(Part.fromText(roundText.toString()));
			roundText.setLength(0);
		}
	}

	private static ModelChunk.TokenCounts toCounts(GenerateContentResponseUsageMetadata usage) {
		return new ModelChunk.TokenCounts(usage.promptTokenCount().orElse(0), usage.candidatesTokenCount().orElse(0),
				usage.thoughtsTokenCount().orElse(0));
	}

	private ModelException translate(RuntimeException e) {
		if (call.isCancelled()) {
			return new ModelException(Kind.CANCELLED, 0, "Stopped.", e);
		}
		ErrorDetails details = call.errorDetails();
		Duration retryAfter = details == null ? null : details.retryAfter();
		if (e instanceof ClientException client && client.code() == 429) {
			boolean daily = details != null && details.dailyQuota();
			return new ModelException(Kind.RATE_LIMITED, 429,
					daily ? "The daily quota of this API key is used up (429). Try again tomorrow or use another key."
							: "Rate limit reached (429): " + client.message(),
					e, retryAfter, daily);
		}
		if (e instanceof ClientException client) {
			int code = client.code();
			return switch (code) {
				case 401, 403 -> new ModelException(Kind.AUTH, code,
						"The API key was rejected (" + code + " " + client.status() + ").", e);
				case 404 ->
					new ModelException(Kind.BAD_REQUEST, code, "The model \"" + model + "\" was not found (404).", e);
				case 408 -> new ModelException(Kind.SERVER, code, "The model timed out (408).", e, retryAfter, false);
				default -> new ModelException(Kind.BAD_REQUEST, code,
						"The model rejected the request (" + code + "): " + client.message(), e);
			};
		}
		if (e instanceof ServerException server) {
			return new ModelException(Kind.SERVER, server.code(),
					"The model service failed (" + server.code() + " " + server.status() + ").", e, retryAfter, false);
		}
		if (e instanceof GenAiIOException) {
			if (responses == null && (causedBy(e, ConnectException.class) || causedBy(e, UnknownHostException.class))) {
				return new ModelException(Kind.UNREACHABLE, 0, "Could not reach the model service.", e);
			}
			if (causedBy(e, SocketTimeoutException.class)) {
				return responses == null
						? new ModelException(Kind.UNREACHABLE, 0, "The model service did not answer in time.", e)
						: new ModelException(Kind.STALLED, 0, "The model stopped responding.", e);
			}
			if (responses == null) {
				return new ModelException(Kind.UNREACHABLE, 0, "The connection to the model service failed.", e);
			}
			return new ModelException(Kind.BROKEN_STREAM, 0, "The connection to the model broke off mid-answer.", e);
		}
		return new ModelException(Kind.BROKEN_STREAM, 0, "The model's answer could not be read.", e);
	}

	private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
		for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

}
