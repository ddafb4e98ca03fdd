package dev.streamchat.chat;

/** A stored attachment with its bytes, for sending it to the browser or the model. */
public record AttachmentFile(Attachment attachment, byte[] bytes) {
}
