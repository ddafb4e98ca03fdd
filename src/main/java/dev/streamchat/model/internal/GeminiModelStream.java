package dev.streamchat.model.internal;

import java.net.ConnectException;
import java.time.Duration;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

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
import com.google.genai.types.Part;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelException.Kind;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;

/** One streamed Gemini reply; see {@link ModelStream} for the threading contract. */
final class GeminiModelStream implements ModelStream {

    /** Finish reasons that mean the provider withheld (part of) the answer. */
    private static final Set<String> BLOCKING_REASONS = Set.of(
            "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE");

    private final Client client;
    private final String model;
    /** The conversation so far: grows by the model's turn and the function responses each round. */
    private List<Content> contents;
    /** Builds the first round's contents (uploading attachments if need be) within this stream's call. */
    private final java.util.function.Function<CancellableCall, List<Content>> initialContents;
    /** The model's parts of the current round, kept as received (thought signatures included). */
    private final List<Part> modelParts = new ArrayList<>();
    private final StringBuilder roundText = new StringBuilder();
    private final GenerateContentConfig config;
    private final CancellableCall call = new CancellableCall();
    private ResponseStream<GenerateContentResponse> stream;
    private Iterator<GenerateContentResponse> responses;

    GeminiModelStream(Client client, String model, List<Content> contents,
                      GenerateContentConfig config) {
        this(client, model, call -> contents, config);
    }

    GeminiModelStream(Client client, String model,
                      java.util.function.Function<CancellableCall, List<Content>> contents, GenerateContentConfig config) {
        this.client = client;
        this.model = model;
        this.initialContents = contents;
        this.config = config;
    }

    @Override
    public ModelChunk next() {
        try {
            if (contents == null) {
                contents = new ArrayList<>(initialContents.apply(call));
            }
            if (responses == null) {
                stream = call.bind(() -> client.models.generateContentStream(model, contents, config));
                responses = stream.iterator();
            }
            if (!call.bind(responses::hasNext)) {
                return null;
            }
            return toChunk(responses.next());
        } catch (ModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public void continueWith(List<ToolResult> results) {
        closeRound();
        flushRoundText();
        contents.add(Content.builder().role("model").parts(List.copyOf(modelParts)).build());
        modelParts.clear();
        roundText.setLength(0);
        contents.add(Content.builder().role("user").parts(results.stream()
                .map(result -> {
                    FunctionResponse.Builder response = FunctionResponse.builder()
                            .name(result.call().name())
                            .response(result.response());
                    if (result.call().id() != null) {
                        response.id(result.call().id());
                    }
                    return Part.builder().functionResponse(response.build()).build();
                })
                .toList()).build());
        responses = null; // the next call to next() sends the longer conversation
    }

    @Override
    public void cancel() {
        call.cancel();
    }

    @Override
    public void close() {
        if (stream != null) {
            call.cancel(); // the connection may still be open when the reader gives up early
            closeRound();
        }
    }

    private void closeRound() {
        if (stream != null) {
            try {
                stream.close();
            } catch (RuntimeException ignored) {
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
                } else if (part.functionCall().isPresent()) {
                    var call = part.functionCall().get();
                    calls.add(new ToolCall(call.id().orElse(null), call.name().orElse(""), call.args().orElse(null)));
                    keep(part);
                } else {
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
        return new ModelChunk(text.toString(), thought.toString(), calls, finishReason, usage);
    }

    /** Keeps a part for the model's turn; plain text is joined and becomes one part when something else follows. */
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
        return new ModelChunk.TokenCounts(
                usage.promptTokenCount().orElse(0),
                usage.candidatesTokenCount().orElse(0),
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
            return new ModelException(Kind.RATE_LIMITED, 429, daily
                    ? "The daily quota of this API key is used up (429). Try again tomorrow or use another key."
                    : "Rate limit reached (429): " + client.message(), e, retryAfter, daily);
        }
        if (e instanceof ClientException client) {
            int code = client.code();
            return switch (code) {
                case 401, 403 -> new ModelException(Kind.AUTH, code,
                        "The API key was rejected (" + code + " " + client.status() + ").", e);
                case 404 -> new ModelException(Kind.BAD_REQUEST, code,
                        "The model \"" + model + "\" was not found (404).", e);
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
            return new ModelException(Kind.BROKEN_STREAM, 0,
                    "The connection to the model broke off mid-answer.", e);
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
