package dev.streamchat.budget;

/**
 * What an upstream request was for: an answer (each tool round a request of its own), or
 * the app's own title request.
 */
public enum UsageKind {

	REPLY, TITLE

}
