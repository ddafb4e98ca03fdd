package dev.streamchat.streaming.internal;

import java.util.List;
import java.util.function.Supplier;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;

/**
 * What starting a reply reads and writes, in one transaction: the user's admission, the
 * conversation, and the rows a reply opens with. The port between {@link ReplyStarts} and
 * the chat and budget modules ({@link ChatOpeningStore}), so the order of the model
 * request and the writes can be tested with a fake.
 */
public interface OpeningStore {

	/** Runs {@code work} in one transaction: all of its writes are kept or none. */
	<T> T inTransaction(Supplier<T> work);

	/**
	 * Admits a prompt of the user's by their budgets (rate, answers streaming, tokens;
	 * under their row lock until the transaction ends). It only reads, so the request can
	 * go out right after it.
	 * @return what counts the prompt against the user's rate, to run in the same
	 * transaction once the request is on its way
	 * @throws dev.streamchat.budget.BudgetExceededException when a budget refuses it
	 */
	Runnable admit(UserId user);

	/** The conversation as it stands: the path the user follows. */
	List<ChatMessage> conversation(UserId user, ConversationId conversation);

	/** Stores a new prompt, with its files, at the end of the user's conversation. */
	ChatMessage addPrompt(UserId user, ConversationId conversation, String text, List<NewAttachment> files);

	/** Stores an edited prompt as a new version of {@code prompt}. */
	ChatMessage addPromptVersion(ChatMessage prompt, String text);

	/**
	 * Stores the empty streaming reply at the end of the conversation.
	 * @throws dev.streamchat.chat.ReplyStreamingException when a reply of the
	 * conversation streams already (on any node)
	 */
	ChatMessage startReply(ConversationId conversation, String model, @Nullable String node, int contextDropped);

	/** Stores the empty streaming reply as a new answer to {@code prompt}. */
	ChatMessage startAnswerVersion(ChatMessage prompt, String model, @Nullable String node, int contextDropped);

}
