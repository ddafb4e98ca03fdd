package dev.streamchat.attachments.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.streamchat.chat.AttachmentFile;
import dev.streamchat.chat.AttachmentId;
import dev.streamchat.chat.AttachmentStore;
import dev.streamchat.security.CurrentUser;
import dev.streamchat.security.UserId;
import dev.streamchat.sharing.ShareId;
import dev.streamchat.sharing.SharedLinks;
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
 * The only ways an attachment reaches a browser: {@code GET /attachments/{id}} for the
 * signed-in owner of the conversation, and {@code GET /share/{link}/attachments/{id}} for
 * anyone who has a share link whose owner ticked "attached files", for the files of that
 * link's snapshot only. Anyone else, a deleted conversation's file, a revoked link and an
 * id that does not exist all get the same 404, so an id tells nothing about whether it
 * exists.
 * <p>
 * Uploaded content is untrusted and served from this origin, so only the types found in
 * the content are used, never sniffed by the browser ({@code nosniff}), text is always
 * plain text, and the response may not run anything ({@code sandbox}; a PDF is exempt, as
 * Chromium's viewer refuses sandboxed documents, and a PDF cannot script this origin).
 * Both doors answer with the same headers.
 */
@RestController
class AttachmentDownloads {

	private final AttachmentStore attachments;

	private final SharedLinks sharedLinks;

	private final CurrentUser currentUser;

	AttachmentDownloads(AttachmentStore attachments, SharedLinks sharedLinks, CurrentUser currentUser) {
		this.attachments = attachments;
		this.sharedLinks = sharedLinks;
		this.currentUser = currentUser;
	}

	@GetMapping("/attachments/{id}")
	ResponseEntity<byte[]> download(@PathVariable String id,
			@RequestParam(name = "download", defaultValue = "false") boolean download) {
		Optional<UserId> user = currentUser.id();
		return respond(attachmentId(id).flatMap(file -> user.flatMap(owner -> attachments.owned(owner, file))),
				download, false);
	}

	/**
	 * A file of a share link's snapshot, for anyone with the link (no session needed).
	 */
	@GetMapping("/share/{link}/attachments/{id}")
	ResponseEntity<byte[]> shared(@PathVariable String link, @PathVariable String id,
			@RequestParam(name = "download", defaultValue = "false") boolean download) {
		Optional<ShareId> share = ShareId.parse(link);
		return respond(attachmentId(id).flatMap(file -> share.flatMap(s -> sharedLinks.attachment(s, file))), download,
				true);
	}

	private static Optional<AttachmentId> attachmentId(String id) {
		try {
			return Optional.of(new AttachmentId(Long.parseLong(id)));
		}
		catch (NumberFormatException notAnId) {
			return Optional.empty();
		}
	}

	/**
	 * @param shared reached through a share link: like its page, not to be indexed, and
	 * the link (the secret) not sent on as a referrer
	 */
	private static ResponseEntity<byte[]> respond(Optional<AttachmentFile> found, boolean download, boolean shared) {
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
		if (shared) {
			response.header("X-Robots-Tag", "noindex, nofollow").header("Referrer-Policy", "no-referrer");
		}
		if (!type.equals("application/pdf")) {
			response.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; media-src 'self'");
		}
		return response.body(file.bytes());
	}

}
