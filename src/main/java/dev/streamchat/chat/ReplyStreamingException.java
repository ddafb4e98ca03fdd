package dev.streamchat.chat;

/**
 * A reply of the conversation is streaming already (on this node or another): the
 * database allows one at a time.
 */
public class ReplyStreamingException extends RuntimeException {

	public ReplyStreamingException(ConversationId conversation) {
		super("a reply of conversation " + conversation + " is streaming already");
	}

}
