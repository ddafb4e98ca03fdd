package dev.streamchat.attachments;

/** A file that cannot be attached, with the message the user sees next to its chip. */
public class AttachmentRejectedException extends RuntimeException {

	public AttachmentRejectedException(String message) {
		super(message);
	}

}
