package dev.streamchat.model;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How attachments travel to Gemini; see application.properties for each key. A file up to
 * {@code inlineMaxSize} goes inside the request ({@code inlineData}, base64) while the
 * request's inline files stay within {@code inlineRequestMax}; any other goes through the
 * Files API once and is referred to ({@code fileData}) until its copy expires (48 h),
 * then uploaded again.
 *
 * @param inlineMaxSize largest file sent inline
 * @param inlineRequestMax most bytes of files sent inline in one request (Gemini refuses
 * requests over 20 MB)
 * @param reuploadMargin a remote copy expiring within this is uploaded again rather than
 * used
 * @param activeTimeout longest wait for an uploaded file to become usable (Gemini
 * processes some first)
 */
@ConfigurationProperties("chat.model.files")
public record FileTransferProperties(@DefaultValue("2MB") DataSize inlineMaxSize,
		@DefaultValue("12MB") DataSize inlineRequestMax, @DefaultValue("10m") Duration reuploadMargin,
		@DefaultValue("60s") Duration activeTimeout) {

	public static FileTransferProperties defaults() {
		return new FileTransferProperties(DataSize.ofMegabytes(2), DataSize.ofMegabytes(12), Duration.ofMinutes(10),
				Duration.ofSeconds(60));
	}
}
