package dev.streamchat.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The in-memory {@link FakeChatModel} in place of the app's model adapter. */
@TestConfiguration(proxyBeanMethods = false)
public class FakeChatModelConfiguration {

	@Bean
	@Primary
	FakeChatModel fakeChatModel() {
		return new FakeChatModel();
	}

}
