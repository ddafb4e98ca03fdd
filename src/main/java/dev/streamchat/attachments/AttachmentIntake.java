package dev.streamchat.attachments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import dev.streamchat.attachments.internal.ContentTypes;
import dev.streamchat.chat.NewAttachment;
import org.springframework.stereotype.Service;

/**
 * The one door a file comes in by: checks it against the limits
 * ({@link AttachmentProperties}) before and while it arrives, finds its type in its
 * content and refuses what is empty, too large, of a type not allowed, damaged or cut
 * off, each with a message for the user. What it accepts is held whole in memory until
 * the prompt is sent; what it refuses is dropped, so nothing half-stored remains.
 */
@Service
public class AttachmentIntake {

	private final AttachmentProperties limits;

	AttachmentIntake(AttachmentProperties limits) {
		this.limits = limits;
	}

	public AttachmentProperties limits() {
		return limits;
	}

	/**
	 * Checks a file the browser is about to send against the limits, by its declared
	 * size: a file that cannot fit is refused before a byte travels.
	 * @param heldBytes bytes of the files already attached to the prompt (or on their
	 * way)
	 * @param heldFiles how many files those are
	 */
	public void admit(String name, long declaredSize, long heldBytes, int heldFiles) {
		if (heldFiles >= limits.maxFiles()) {
			throw new AttachmentRejectedException(
					"At most %d files can be attached to one message.".formatted(limits.maxFiles()));
		}
		if (declaredSize == 0) {
			throw new AttachmentRejectedException("%s is empty.".formatted(name));
		}
		if (declaredSize > limits.maxFileSize().toBytes()) {
			throw new AttachmentRejectedException("%s is too large: %s, at most %s per file.".formatted(name,
					size(declaredSize), size(limits.maxFileSize().toBytes())));
		}
		if (heldBytes + declaredSize > limits.maxMessageSize().toBytes()) {
			throw new AttachmentRejectedException(
					"%s does not fit: the files of one message may total at most %s (%s attached).".formatted(name,
							size(limits.maxMessageSize().toBytes()), size(heldBytes)));
		}
	}

	/**
	 * Reads a file as it arrives, never more than the per-file limit, and checks what
	 * came.
	 * @param declaredSize the size the browser announced, or -1 if unknown
	 * @return the file, ready to be stored with the prompt
	 * @throws AttachmentRejectedException with the user's message; nothing of the file is
	 * kept
	 */
	public NewAttachment receive(String name, long declaredSize, InputStream in) {
		long max = limits.maxFileSize().toBytes();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Math.max(declaredSize, 0), max) + 1);
		byte[] buffer = new byte[64 * 1024];
		try {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				if (bytes.size() + n > max) {
					throw new AttachmentRejectedException(
							"%s is too large: more than %s per file.".formatted(name, size(max)));
				}
				bytes.write(buffer, 0, n);
			}
		}
		catch (IOException broken) {
			throw cutOff(name, bytes.size(), declaredSize);
		}
		if (declaredSize > 0 && bytes.size() < declaredSize) {
			throw cutOff(name, bytes.size(), declaredSize);
		}
		return check(name, bytes.toByteArray());
	}

	/** Checks a whole file: not empty, of an allowed type by its content, and whole. */
	public NewAttachment check(String name, byte[] content) {
		String cleanName = cleanName(name);
		if (content.length == 0) {
			throw new AttachmentRejectedException("%s is empty.".formatted(cleanName));
		}
		if (content.length > limits.maxFileSize().toBytes()) {
			throw new AttachmentRejectedException("%s is too large: %s, at most %s per file.".formatted(cleanName,
					size(content.length), size(limits.maxFileSize().toBytes())));
		}
		ContentTypes.Found found = ContentTypes.sniff(content);
		if (!limits.allowedTypes().contains(found.mimeType())) {
			throw new AttachmentRejectedException(
					"%s cannot be attached: its content is %s (%s), which is not allowed. Allowed: %s.".formatted(
							cleanName, article(found.label()), found.mimeType(),
							String.join(", ", limits.allowedTypes())));
		}
		if (!found.whole()) {
			throw new AttachmentRejectedException(
					"%s looks damaged or incomplete (%s without its end); it was not attached.".formatted(cleanName,
							article(found.label())));
		}
		return new NewAttachment(cleanName, found.mimeType(), content, found.width(), found.height());
	}

	private static AttachmentRejectedException cutOff(String name, long received, long declared) {
		return new AttachmentRejectedException("The upload of %s was cut off after %s%s; nothing was kept. Try again."
			.formatted(name, size(received), declared > 0 ? " of " + size(declared) : ""));
	}

	/**
	 * A file name as shown and stored: no path, no control characters, at most 255
	 * characters.
	 */
	public static String cleanName(String name) {
		String base = name == null ? "" : name.replace('\\', '/');
		base = base.substring(base.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "").strip();
		if (base.isEmpty()) {
			base = "file";
		}
		return base.length() > 255 ? base.substring(0, 255) : base;
	}

	/** A size as people read it: 512 bytes, 34 KB, 2.5 MB. */
	public static String size(long bytes) {
		if (bytes < 1024) {
			return bytes + (bytes == 1 ? " byte" : " bytes");
		}
		if (bytes < 1024 * 1024) {
			return Math.round(bytes / 1024.0) + " KB";
		}
		double mb = bytes / (1024.0 * 1024.0);
		return (mb < 10 ? String.format(Locale.ROOT, "%.1f", mb) : String.valueOf(Math.round(mb))) + " MB";
	}

	private static String article(String label) {
		return ("aeiouAEIOU".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
	}

}
