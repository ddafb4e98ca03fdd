package dev.streamchat.model.internal;

import dev.streamchat.model.ModelCatalog;
import dev.streamchat.model.ModelProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Which model provider answers, without spending a request on it: the demo model is
 * always up; Gemini is reported with its endpoint and models (never its key).
 */
@Component("modelProvider")
class ModelHealthIndicator implements HealthIndicator {

	private final ModelCatalog catalog;

	private final ModelProperties properties;

	ModelHealthIndicator(ModelCatalog catalog, ModelProperties properties) {
		this.catalog = catalog;
		this.properties = properties;
	}

	@Override
	public Health health() {
		if (catalog.demo()) {
			return Health.up().withDetail("provider", "demo (offline, no API key configured)").build();
		}
		String endpoint = properties.baseUrl() == null || properties.baseUrl().isBlank() ? "default"
				: properties.baseUrl();
		return Health.up()
			.withDetail("provider", "gemini")
			.withDetail("endpoint", endpoint)
			.withDetail("apiVersion", properties.apiVersion())
			.withDetail("models", catalog.models())
			.build();
	}

}
