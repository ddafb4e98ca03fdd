package dev.streamchat.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/** Points the app's Gemini adapter at the shared fake server, with a dummy key. */
@TestConfiguration(proxyBeanMethods = false)
public class FakeGeminiConfiguration {

	public static final String API_KEY = "test-key-not-a-secret";

	@Bean
	FakeGemini fakeGemini() {
		return FakeGemini.shared();
	}

	/**
	 * A tool tests can make slow or failing; declared to the model next to the real ones.
	 */
	@Bean
	SlowTool slowTool() {
		return new SlowTool();
	}

	@Bean
	DynamicPropertyRegistrar fakeGeminiProperties() {
		return registry -> {
			registry.add("chat.model.api-key", () -> API_KEY);
			registry.add("chat.model.base-url", () -> FakeGemini.shared().baseUrl());
			registry.add("chat.model.models", () -> "gemini-2.5-flash,gemini-2.5-pro");
			registry.add("chat.model.default-model", () -> "gemini-2.5-flash");
			registry.add("chat.tools.timeout", () -> "1500ms");
		};
	}

}
