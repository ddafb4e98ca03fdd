package dev.streamchat.bench.minimal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import com.vaadin.flow.router.RouteConfiguration;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.startup.ApplicationRouteRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The benchmark's peer: the smallest Vaadin streaming chat, in the pattern of Vaadin's AI
 * starter (one page, a {@code MessageList} with markdown and a {@code MessageInput}; each
 * chunk the SDK yields is appended with one {@code ui.access} +
 * {@code MessageListItem.appendText}; nothing stored, no coalescing). It talks to the
 * same fake model through the same google-genai streaming call as the app, so the
 * benchmark's time-to-first-token, start-up and long-answer rows compare the app against
 * what the framework does with nothing added.
 * <p>
 * Benchmark code, never part of the product: the benchmark starts it from the packaged
 * app's jar through Spring Boot's {@code PropertiesLauncher}, {@code loader.path}
 * pointing at a directory holding only this package and {@code loader.main} naming this
 * class, so it runs on the jar's own libraries in production mode with the same Vaadin
 * bundle.
 * <p>
 * Not annotated as a configuration, and its page has no {@code @Route}, on purpose: the
 * tests' component and route scanning of {@code dev.streamchat} must never pick it up
 * (its page would take the app's root route). The page is registered when Vaadin starts,
 * Push is switched on by a property rather than by an {@code AppShellConfigurator} (there
 * may be one per class path), and the auto-configurations of what a minimal app does not
 * have on its class path (database, Flyway, security, Spring Modulith, actuator, metrics)
 * are left out, so its start-up is a minimal app's.
 */
@EnableAutoConfiguration
public class MinimalChat {

	/**
	 * Auto-configurations that a minimal Vaadin app's class path (the Vaadin starter and
	 * the SDK) does not bring, found by these words in their class names.
	 */
	private static final List<String> NOT_IN_A_MINIMAL_APP = List.of("jdbc", "sql", "jooq", "r2dbc", "flyway",
			"liquibase", "h2", "data", "transaction", "security", "modulith", "actuat", "metrics", "observation",
			"tracing", "micrometer", "health", "management", "jpa", "hibernate", "mail", "cache", "session");

	public static void main(String[] args) {
		SpringApplication app = new SpringApplication(MinimalChat.class);
		app.setDefaultProperties(Map.of(
				// no application.properties: the app's own (in the jar) is not this app's
				"spring.config.name", "minimal-chat", "spring.autoconfigure.exclude", excluded(),
				// scan only this package for Vaadin's annotations (the app's classes are
				// on the class path too)
				"vaadin.allowed-packages", MinimalChat.class.getPackageName(), "vaadin.pushMode", "automatic",
				"vaadin.launch-browser", "false"));
		app.run(args);
	}

	private static String excluded() {
		return ImportCandidates.load(AutoConfiguration.class, MinimalChat.class.getClassLoader())
			.getCandidates()
			.stream()
			.filter(name -> NOT_IN_A_MINIMAL_APP.stream()
				.anyMatch(word -> Arrays.stream(name.split("\\.")).anyMatch(part -> part.toLowerCase().contains(word))))
			.collect(Collectors.joining(","));
	}

	/**
	 * The SDK client as the app configures it: the key and the endpoint from the
	 * environment ({@code GEMINI_API_KEY}, {@code GEMINI_BASE_URL}), API version v1beta.
	 */
	@Bean(destroyMethod = "close")
	Client gemini(Environment env) {
		HttpOptions.Builder http = HttpOptions.builder().apiVersion("v1beta");
		String baseUrl = env.getProperty("GEMINI_BASE_URL");
		if (baseUrl != null && !baseUrl.isBlank()) {
			http.baseUrl(baseUrl);
		}
		return Client.builder().apiKey(env.getRequiredProperty("GEMINI_API_KEY")).httpOptions(http.build()).build();
	}

	/** The one page, at the root. */
	@Bean
	VaadinServiceInitListener minimalRoute() {
		return event -> RouteConfiguration
			.forRegistry(ApplicationRouteRegistry.getInstance(event.getSource().getContext()))
			.setRoute("", MinimalView.class);
	}

}
