package dev.streamchat.attachments.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.streamchat.chat.AttachmentFile;
import dev.streamchat.chat.AttachmentId;
import dev.streamchat.chat.AttachmentStore;
import dev.streamchat.security.CurrentUser;
import dev.streamchat.security.UserId;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The only way an attachment reaches a browser: {@code GET /attachments/{id}} for the
 * signed-in owner of the conversation. Anyone else, a deleted conversation's file and an
 * id that does not exist all get the same 404, so an id tells nothing about whether it
 * exists.
 * <p>
 * Uploaded content is untrusted and served from this origin, so only the types found in
 * the content are used, never sniffed by the browser ({@code nosniff}), text is always
 * plain text, and the response may not run anything ({@code sandbox}; a PDF is exempt, as
 * Chromium's viewer refuses sandboxed documents, and a PDF cannot script this origin).
 */
@RestController
class AttachmentDownloads {

	private final AttachmentStore attachments;

	private final CurrentUser currentUser;

	AttachmentDownloads(AttachmentStore attachments, CurrentUser currentUser) {
		this.attachments = attachments;
		this.currentUser = currentUser;
	}

	@GetMapping("/attachments/{id}")
	ResponseEntity<byte[]> download(@PathVariable String id,
			@RequestParam(name = "download", defaultValue = "false") boolean download) {
		Optional<UserId> user = currentUser.id();
		Optional<AttachmentFile> found;
		try {
			found = user.flatMap(owner -> attachments.owned(owner, new AttachmentId(Long.parseLong(id))));
		}
		catch (NumberFormatException notAnId) {
			found = Optional.empty();
		}
		if (found.isEmpty()) {
			return ResponseEntity.notFound().build();
		}
		AttachmentFile file = found.get();
		String type = file.attachment().mimeType();
		MediaType mediaType = type.startsWith("text/") ? new MediaType("text", "plain", StandardCharsets.UTF_8)
				: MediaType.parseMediaType(type);
		boolean showable = !download && (type.startsWith("image/") || type.startsWith("audio/")
				|| type.equals("application/pdf") || type.startsWith("text/"));
		ResponseEntity.BodyBuilder response = ResponseEntity.ok()
			.contentType(mediaType)
			.contentLength(file.bytes().length)
			.cacheControl(CacheControl.noStore().cachePrivate())
			.header("X-Content-Type-Options", "nosniff")
			.header(HttpHeaders.CONTENT_DISPOSITION,
					(showable ? ContentDisposition.inline() : ContentDisposition.attachment())
						.filename(file.attachment().name(), StandardCharsets.UTF_8)
						.build()
						.toString());
		if (!type.equals("application/pdf")) {
			response.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
		}
		return response.body(file.bytes());
	}

}
