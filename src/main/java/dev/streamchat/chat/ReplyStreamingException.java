package dev.streamchat.chat;

/**
 * A reply of the pane is streaming already (on this node or another): the database allows
 * one at a time.
 */
public class ReplyStreamingException extends RuntimeException {

	public ReplyStreamingException(ConversationId pane) {
		super("a reply of pane " + pane + " is streaming already");
	}

}
