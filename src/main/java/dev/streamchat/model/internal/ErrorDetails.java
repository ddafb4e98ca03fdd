package dev.streamchat.model.internal;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an error response says beyond its status, which the SDK's exceptions drop: the
 * {@code Retry-After} header, {@code google.rpc.RetryInfo.retryDelay} and whether a
 * {@code google.rpc.QuotaFailure} names a per-day quota.
 */
record ErrorDetails(@Nullable Duration retryAfter, boolean dailyQuota) {

	private static final long MAX_BODY = 64 * 1024;

	/**
	 * Reads {@code response} with Boot's {@code JsonMapper} (Jackson 3, not the SDK's
	 * Jackson 2), which {@link GeminiChatModel} hands to its interceptor.
	 */
	static ErrorDetails of(Response response, JsonMapper json) {
		Duration retryAfter = parseRetryAfter(response.header("Retry-After"));
		boolean dailyQuota = false;
		try {
			JsonNode details = json.readTree(response.peekBody(MAX_BODY).string()).path("error").path("details");
			for (JsonNode detail : details) {
				String type = detail.path("@type").asString("");
				if (type.endsWith("google.rpc.RetryInfo") && retryAfter == null) {
					retryAfter = parseProtoDuration(detail.path("retryDelay").asString(""));
				}
				if (type.endsWith("google.rpc.QuotaFailure")) {
					for (JsonNode violation : detail.path("violations")) {
						String quota = (violation.path("quotaId").asString("")
								+ violation.path("quotaMetric").asString(""))
							.toLowerCase(Locale.ROOT);
						dailyQuota |= quota.contains("perday") || quota.contains("per_day");
					}
				}
			}
		}
		catch (Exception unreadable) {
			// no JSON details: the status alone decides
		}
		return new ErrorDetails(retryAfter, dailyQuota);
	}

	/** Seconds ("3", "2.5") or an HTTP date. */
	static @Nullable Duration parseRetryAfter(@Nullable String header) {
		if (header == null || header.isBlank()) {
			return null;
		}
		try {
			return Duration.ofMillis(Math.round(Double.parseDouble(header.trim()) * 1000));
		}
		catch (NumberFormatException notSeconds) {
			try {
				Duration until = Duration.between(ZonedDateTime.now(),
						ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
				return until.isNegative() ? Duration.ZERO : until;
			}
			catch (RuntimeException notADate) {
				return null;
			}
		}
	}

	/** A protobuf JSON duration such as "38s" or "1.5s". */
	static @Nullable Duration parseProtoDuration(String text) {
		if (!text.endsWith("s")) {
			return null;
		}
		try {
			return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
		}
		catch (NumberFormatException e) {
			return null;
		}
	}
}
