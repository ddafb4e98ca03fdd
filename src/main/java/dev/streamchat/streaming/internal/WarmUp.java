package dev.streamchat.streaming.internal;

import java.util.List;

import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.Messages;
import dev.streamchat.model.ChatModel;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.StreamingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Walks the way of a first prompt once the app is up, so that the first user does not pay
 * for loading and compiling it: the model client streams a canned reply from the loopback
 * interface ({@link ChatModel#warmUp}: never the real model, never the key), and the
 * reads that start a reply run against the database (for nobody's conversation, so they
 * find nothing). On a virtual thread of its own, after start-up: the app is serving while
 * it runs, and a failure only costs the warm-up.
 */
@Component
class WarmUp {

	private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

	/** No user or conversation has this id: the reads find nothing and change nothing. */
	private static final long NOBODY = -1;

	private final ChatModel model;

	private final ConversationStore conversations;

	private final Messages messages;

	private final ConversationTurns turns;

	private final TransactionOperations transactions;

	private final StreamingProperties properties;

	WarmUp(ChatModel model, ConversationStore conversations, Messages messages, ConversationTurns turns,
			TransactionOperations transactions, StreamingProperties properties) {
		this.model = model;
		this.conversations = conversations;
		this.messages = messages;
		this.turns = turns;
		this.transactions = transactions;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onReady() {
		Thread.ofVirtual().name("warm-up").start(this::run);
	}

	void run() {
		long started = System.nanoTime();
		try {
			transactions.executeWithoutResult(tx -> {
				UserId nobody = new UserId(NOBODY);
				conversations.openConversation(nobody, new ConversationId(NOBODY));
				messages.currentPath(nobody, new ConversationId(NOBODY));
			});
			turns.fit(turns.turnsThen(List.of(), "Warm up"), null, properties.maxContextTokens());
			model.warmUp();
			log.debug("Warmed the way of a first prompt up in {} ms", (System.nanoTime() - started) / 1_000_000);
		}
		catch (RuntimeException e) {
			log.debug("Warm-up failed (no harm done): {}", e.toString());
		}
	}

}
