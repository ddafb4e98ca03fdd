package dev.streamchat.model.internal;

import java.util.List;

import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelProperties;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;
import okhttp3.OkHttpClient;

/** The real model: Gemini through the official google-genai SDK. */
public class GeminiChatModel implements ChatModel, AutoCloseable {

    private final Client client;

    public GeminiChatModel(ModelProperties properties) {
        // Our own OkHttp client so that a stalled stream hits a read (idle) timeout and Stop can
        // cancel the call; the SDK keeps both and adds its interceptors on top.
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(properties.connectTimeout())
                .readTimeout(properties.idleTimeout())
                .writeTimeout(properties.connectTimeout())
                .addInterceptor(CancellableCall.INTERCEPTOR)
                .build();
        HttpOptions.Builder httpOptions = HttpOptions.builder()
                .apiVersion(properties.apiVersion())
                // The SDK's own retries are blind to Retry-After, invisible to the user and sleep
                // even after the last attempt; retrying is the streaming service's decision.
                .retryOptions(HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build());
        if (properties.baseUrl() != null && !properties.baseUrl().isBlank()) {
            httpOptions.baseUrl(properties.baseUrl());
        }
        this.client = Client.builder()
                .apiKey(properties.apiKey())
                .httpOptions(httpOptions.build())
                .clientOptions(ClientOptions.builder().customHttpClient(http).build())
                .build();
    }

    @Override
    public ModelStream stream(ModelRequest request) {
        List<Content> contents = request.history().stream()
                .map(turn -> Content.builder()
                        .role(turn.author() == ModelRequest.Author.USER ? "user" : "model")
                        .parts(Part.fromText(turn.text()))
                        .build())
                .toList();
        return new GeminiModelStream(client, request.model(), contents, GenerateContentConfig.builder().build());
    }

    @Override
    public void close() {
        client.close();
    }
}
