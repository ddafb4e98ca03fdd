package dev.streamchat.chat.internal;

import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Shutdown in order: by default H2 closes its database in a JVM shutdown hook of its own,
 * which runs alongside Spring's, so on SIGTERM the streaming replies that
 * StreamingService is still storing as INTERRUPTED found the database gone ("Could not
 * open JDBC Connection") and their last batch was lost. With
 * {@code DB_CLOSE_ON_EXIT=FALSE} H2 closes when the pool closes its last connection, and
 * Spring closes the pool only after StreamingService has stopped (its lifecycle phase
 * ends first). Added to every H2 URL, including one given in SPRING_DATASOURCE_URL.
 */
@Component
class H2ShutdownOrder implements BeanPostProcessor {

	static String closedByThePool(String url) {
		if (url == null || !url.startsWith("jdbc:h2:") || url.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
			return url;
		}
		return url + ";DB_CLOSE_ON_EXIT=FALSE";
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool) {
			pool.setJdbcUrl(closedByThePool(pool.getJdbcUrl()));
		}
		return bean;
	}

}
