package dev.streamchat.model.internal;

import java.util.List;

import dev.streamchat.model.ChatModel;
import dev.streamchat.model.FileTransferProperties;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.model.ModelProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Gemini when an API key is configured, the offline demo model otherwise. */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ModelConfiguration.class);

	@Bean
	ModelCatalog modelCatalog(ModelProperties properties) {
		if (properties.hasApiKey()) {
			return new ModelCatalog(properties.models(), properties.defaultModel(), false);
		}
		return new ModelCatalog(List.of(DemoChatModel.MODEL), DemoChatModel.MODEL, true);
	}

	@Bean
	ChatModel chatModel(ModelProperties properties, FileTransferProperties fileTransfer, JsonMapper json) {
		if (properties.hasApiKey()) {
			log.info("Using Gemini ({}), models {}", properties.baseUrl() == null || properties.baseUrl().isBlank()
					? "default endpoint" : properties.baseUrl(), properties.models());
			return new GeminiChatModel(properties, fileTransfer, json);
		}
		log.warn("No GEMINI_API_KEY or GOOGLE_API_KEY configured: answering with the offline demo model");
		return new DemoChatModel(properties.demo());
	}

}
