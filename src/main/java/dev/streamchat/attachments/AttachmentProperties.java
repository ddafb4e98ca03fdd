package dev.streamchat.attachments;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on the files a user attaches to a prompt; see application.properties for each
 * key.
 *
 * @param maxFileSize largest single file
 * @param maxMessageSize largest total of one prompt's files
 * @param maxFiles most files on one prompt
 * @param allowedTypes types a file may have, as found in its content (magic bytes), never
 * by its name
 * @param purgeDeletedAfter a deleted conversation's files are deleted this long after
 * (well after its Undo)
 */
@ConfigurationProperties("chat.attachments")
public record AttachmentProperties(@DefaultValue("20MB") DataSize maxFileSize,
		@DefaultValue("40MB") DataSize maxMessageSize, @DefaultValue("10") int maxFiles, @DefaultValue( {
				"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "audio/mpeg", "audio/wav",
				"audio/ogg", "audio/flac", "text/plain" }) List<String> allowedTypes,
		@DefaultValue("1h") Duration purgeDeletedAfter){
}
