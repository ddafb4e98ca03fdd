package dev.streamchat.streaming.internal;

import java.util.List;
import java.util.function.Supplier;

import dev.streamchat.budget.Budgets;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.security.UserId;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/** {@link OpeningStore} on the chat module's storage and the user's budgets. */
@Component
class ChatOpeningStore implements OpeningStore {

	private final TransactionOperations transactions;

	private final Budgets budgets;

	private final Messages messages;

	private final ReplyWriter replies;

	ChatOpeningStore(TransactionOperations transactions, Budgets budgets, Messages messages, ReplyWriter replies) {
		this.transactions = transactions;
		this.budgets = budgets;
		this.messages = messages;
		this.replies = replies;
	}

	@Override
	public <T> T inTransaction(Supplier<T> work) {
		T result = transactions.execute(tx -> work.get());
		if (result == null) {
			throw new IllegalStateException("a reply's opening gave nothing");
		}
		return result;
	}

	@Override
	public Runnable admit(UserId user) {
		Budgets.AdmittedPrompt admitted = budgets.checkPrompt(user);
		return () -> budgets.countPrompt(admitted);
	}

	@Override
	public List<ChatMessage> conversation(UserId user, ConversationId conversation) {
		return messages.currentPath(user, conversation);
	}

	@Override
	public ChatMessage addPrompt(UserId user, ConversationId conversation, String text, List<NewAttachment> files) {
		return messages.addUserMessage(user, conversation, text, files);
	}

	@Override
	public ChatMessage addPromptVersion(ChatMessage prompt, String text) {
		return messages.addPromptVersion(prompt, text);
	}

	@Override
	public ChatMessage startReply(ConversationId conversation, String model, @Nullable String node,
			int contextDropped) {
		return replies.startReply(conversation, model, node, contextDropped);
	}

	@Override
	public ChatMessage startAnswerVersion(ChatMessage prompt, String model, @Nullable String node, int contextDropped) {
		return replies.startAnswerVersion(prompt, model, node, contextDropped);
	}

}
