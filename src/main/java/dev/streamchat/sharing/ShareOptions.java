package dev.streamchat.sharing;

/**
 * What a share link shows besides the prompts and answers (with their sources), each only
 * if the owner ticks it: the tool calls with their arguments and results, the system
 * instructions, the files attached to prompts (without them the page only says how many
 * files a prompt had).
 */
public record ShareOptions(boolean toolCalls, boolean systemInstruction, boolean attachments) {

	public static final ShareOptions NONE = new ShareOptions(false, false, false);

}
