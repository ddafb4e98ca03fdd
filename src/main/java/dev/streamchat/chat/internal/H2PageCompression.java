package dev.streamchat.chat.internal;

import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * An H2 database on disk stores its pages compressed ({@code COMPRESS=TRUE}, LZF), unless
 * its URL says otherwise. H2 rewrites every changed B-tree page, with its parents, at
 * each background store (about twice a second), so a streaming reply's rows cost several
 * times their text on disk: a 200 000-character answer wrote 3.9 bytes per answer byte
 * with prose-like text, 2.4 with compression (issue 15; the benchmark's s3v, docs/perf).
 * The server CPU for a long answer did not change measurably. Pages written before stay
 * readable; only what is written from now on is compressed. In-memory databases (the
 * tests') are left alone: they write nothing to disk.
 */
@Component
class H2PageCompression implements BeanPostProcessor {

	static @Nullable String compressed(@Nullable String url) {
		if (url == null || !url.startsWith("jdbc:h2:") || url.startsWith("jdbc:h2:mem:")
				|| url.toUpperCase(Locale.ROOT).contains(";COMPRESS=")) {
			return url;
		}
		return url + ";COMPRESS=TRUE";
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
			pool.setJdbcUrl(compressed(pool.getJdbcUrl()));
		}
		return bean;
	}

}
