package dev.streamchat.ui;

import dev.streamchat.ui.markdown.MarkdownRenderer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MarkdownConfiguration {

	@Bean
	MarkdownRenderer markdownRenderer() {
		return new MarkdownRenderer();
	}

}
