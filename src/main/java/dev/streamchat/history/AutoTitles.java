package dev.streamchat.history;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.streamchat.budget.MeteredModel;
import dev.streamchat.budget.UsageKind;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.ConversationSummary;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Role;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;
import dev.streamchat.streaming.ReplyFinished;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Titles a conversation from its first exchange once its first answer is complete, unless
 * it has a title already: a short one the model suggests
 * ({@code chat.history.model-titles}), or its first words when the model is off, is the
 * offline demo, fails or takes too long. Runs on a thread of its own, after the reply has
 * ended, so streaming never waits for it. The title is stored and told through
 * {@link Conversations}, the one front door for a conversation's changes.
 */
@Component
class AutoTitles {

	private static final Logger log = LoggerFactory.getLogger(AutoTitles.class);
	static final int MAX_CHARS = 60;
	static final String INSTRUCTION = "Give a 3–6 word title for this conversation. "
			+ "Reply with the title only: no quotes, no final punctuation.";

	/**
	 * Enough of each side of the exchange for a title; the rest would cost tokens for
	 * nothing.
	 */
	private static final int EXCERPT = 1_500;

	private final ConversationStore store;

	private final Messages messages;

	private final MeteredModel model;

	private final ModelCatalog catalog;

	private final HistoryProperties properties;

	private final Conversations conversations;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	AutoTitles(ConversationStore store, Messages messages, MeteredModel model, ModelCatalog catalog,
			HistoryProperties properties, Conversations conversations) {
		this.store = store;
		this.messages = messages;
		this.model = model;
		this.catalog = catalog;
		this.properties = properties;
		this.conversations = conversations;
	}

	@EventListener
	void replyFinished(ReplyFinished finished) {
		executor.execute(() -> {
			try {
				titleIfFirst(finished);
			}
			catch (RuntimeException e) {
				log.warn("Could not title conversation {}", finished.conversationId(), e);
			}
			finally {
				conversations.activity(finished.owner(), finished.conversationId());
			}
		});
	}

	private void titleIfFirst(ReplyFinished finished) {
		Optional<ConversationSummary> conversation = store.conversation(finished.owner(), finished.conversationId());
		if (conversation.isEmpty() || conversation.get().titleSet()) {
			return;
		}
		List<ChatMessage> history = messages.history(finished.owner(), finished.conversationId());
		Optional<ChatMessage> answer = history.stream()
			.filter(m -> m.id().equals(finished.messageId()) && m.status() == MessageStatus.COMPLETE)
			.findFirst();
		Optional<ChatMessage> prompt = history.stream().filter(m -> m.role() == Role.USER).findFirst();
		if (answer.isEmpty() || prompt.isEmpty()) {
			return;
		}
		String title = (properties.modelTitles() && !catalog.demo()
				? fromModel(finished, prompt.get().text(), answer.get().text(),
						Objects.requireNonNull(answer.get().model(), "an answer records its model"))
				: Optional.<String>empty())
			.orElseGet(() -> firstWords(prompt.get().text()));
		if (!title.isBlank()) {
			conversations.titleIfUntitled(finished.owner(), finished.conversationId(), title);
		}
	}

	/**
	 * A separate, tool-less request, counted against the user's budget like their answers
	 * (and not sent when it is spent); the answer collected from its stream. Empty when
	 * the model fails.
	 */
	private Optional<String> fromModel(ReplyFinished finished, String prompt, String answer, String modelName) {
		String text = INSTRUCTION + "\n\nUser: " + excerpt(prompt) + "\n\nAssistant: " + excerpt(answer);
		ModelRequest request = new ModelRequest(catalog.resolve(modelName),
				List.of(new ModelRequest.Turn(ModelRequest.Author.USER, text)), null, null, List.of());
		try (ModelStream stream = model.forUser(finished.owner(), UsageKind.TITLE).stream(request)) {
			CompletableFuture.delayedExecutor(properties.titleTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.execute(stream::cancel);
			StringBuilder title = new StringBuilder();
			ModelChunk chunk;
			while ((chunk = stream.next()) != null && title.length() < 1_000) {
				title.append(chunk.text());
			}
			return clean(title.toString());
		}
		catch (RuntimeException e) {
			log.info("No title from the model ({}); using the first words of the prompt", e.getMessage());
			return Optional.empty();
		}
	}

	private static String excerpt(String text) {
		return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "…";
	}

	/**
	 * The model's title, tidied: one line, no quotes, markup or label, at most
	 * {@link #MAX_CHARS}.
	 */
	static Optional<String> clean(String raw) {
		String line = raw.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
		line = line.replaceFirst("(?i)^title\\s*:\\s*", "");
		// "**Bike Lock Codes**." → Bike Lock Codes
		line = line.replaceAll("^[\\s\"'“”‘’`*#_]+|[\\s\"'“”‘’`*#_.!。]+$", "");
		line = line.replaceAll("\\s+", " ").strip();
		return line.isEmpty() ? Optional.empty() : Optional.of(shorten(line));
	}

	/** The prompt's first few words, as a title when the model gives none. */
	static String firstWords(String prompt) {
		String text = prompt.replaceAll("[`*#_>\\[\\]]", " ").replaceAll("\\s+", " ").strip();
		String[] words = text.split(" ");
		StringBuilder title = new StringBuilder();
		for (int i = 0; i < words.length && i < 6; i++) {
			title.append(i == 0 ? "" : " ").append(words[i]);
		}
		String result = shorten(title.toString());
		if (words.length > 6 && !result.endsWith("…")) {
			result += "…";
		}
		return result.isEmpty() ? "" : result.substring(0, 1).toUpperCase(Locale.ROOT) + result.substring(1);
	}

	/** At most {@link #MAX_CHARS}, cut at a word boundary when there is one. */
	private static String shorten(String text) {
		if (text.length() <= MAX_CHARS) {
			return text;
		}
		String cut = text.substring(0, MAX_CHARS - 1);
		int space = cut.lastIndexOf(' ');
		return (space > MAX_CHARS / 2 ? cut.substring(0, space) : cut).strip() + "…";
	}

	@PreDestroy
	void shutdown() {
		executor.shutdownNow();
	}

}
