package dev.streamchat.sharing;

/**
 * What a share link shows besides the prompts and answers (with their sources), each only
 * if the owner ticks it: the tool calls with their arguments and results, the system
 * instructions. (Attachments are to join here when messages have them.)
 */
public record ShareOptions(boolean toolCalls, boolean systemInstruction) {

	public static final ShareOptions NONE = new ShareOptions(false, false);

}
