package dev.streamchat.streaming.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.chat.Role;
import dev.streamchat.chat.Usage;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.ToolResult;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.PromptRejectedException;
import dev.streamchat.streaming.StreamingProperties;
import dev.streamchat.testing.FakeChatModel;
import dev.streamchat.tools.ToolBox;
import dev.streamchat.tools.ToolProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Starting a reply, with an in-memory store and model: the model's request goes out
 * before the prompt and the empty reply are stored (the user waits for the model, not for
 * the model and the database), and a reply that cannot be stored is refused with a clear
 * message, its request cancelled and nothing of it kept.
 */
class ReplyStartsTest {

	static final UserId ALICE = new UserId(1);

	static final Conversation PANE = new Conversation(new ConversationId(7), ALICE, "Chat", "gemini-2.5-flash", 0,
			Instant.EPOCH, null, null);

	final FakeChatModel fake = new FakeChatModel();

	/** Opens when a request has actually been sent (the first {@code next()}). */
	final CountDownLatch modelAsked = new CountDownLatch(1);

	/** What happened, in order, seen from the store and the model. */
	final List<String> journal = new CopyOnWriteArrayList<>();

	final FakeStore store = new FakeStore();

	final Generations generations = new Generations(
			new StreamingProperties(Duration.ofMillis(50), 4000, 32000, Duration.ofSeconds(5),
					new StreamingProperties.Retry(4, Duration.ofSeconds(1), Duration.ofSeconds(20), 0.2,
							Duration.ofSeconds(60)),
					200000, Duration.ofSeconds(120), Duration.ofMillis(250), 4000),
			new SimpleMeterRegistry());

	final List<MessageEvent> published = new CopyOnWriteArrayList<>();

	/** The text each launched generation read from its model, all of it. */
	final List<String> generated = new CopyOnWriteArrayList<>();

	@SuppressWarnings("NullAway") // the turns of text-only prompts need neither
	final ConversationTurns turns = new ConversationTurns(null, null);

	final ReplyStarts starts = new ReplyStarts(store, turns, generations, user -> journaling(fake),
			new ToolBox(List.of(), new ToolProperties(true, 5, Duration.ofSeconds(10))),
			(owner, pane, reply, request, model, node) -> generated.add(readAll(model.stream(request))), published::add,
			new OneNode(), 200000);

	@Test
	void theModelIsAskedBeforeThePromptAndTheEmptyReplyAreStored() {
		fake.when("hello", chunks("Hel", "lo, ", "world"));

		ChatMessage reply = starts.start(ALICE, PANE, "gemini-2.5-flash", new Opening.NewPrompt("hello", List.of()));

		assertThat(journal).containsExactly("admitted", "model asked", "prompt stored", "reply stored", "counted",
				"committed");
		assertThat(reply.status()).isEqualTo(MessageStatus.STREAMING);
		assertThat(published).extracting(e -> e.getClass().getSimpleName()).containsExactly("Added", "Added");
		// the chunks that came while the rows were being stored were held, not dropped
		assertThat(generated).containsExactly("Hello, world");
		assertThat(fake.requests()).singleElement()
			.satisfies(request -> assertThat(request.lastUserText()).isEqualTo("hello"));
	}

	@Test
	void aReplyThatCannotBeStoredIsRefusedPlainlyItsRequestCancelledAndNothingKept() {
		fake.when("hello", chunks("Hel", "lo").then(FakeChatModel.Ending.SILENCE));
		store.failReply = true;

		assertThatThrownBy(
				() -> starts.start(ALICE, PANE, "gemini-2.5-flash", new Opening.NewPrompt("hello", List.of())))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessage(ReplyStarts.NOT_SAVED);

		assertThat(journal).containsSubsequence("model asked", "prompt stored", "rolled back");
		assertThat(store.committed).as("neither the prompt nor the reply is kept").isEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> fake.cancellations() == 1);
		assertThat(generated).as("no generation ran").isEmpty();
		assertThat(published).as("no view was told of a reply").isEmpty();
		assertThat(generations.isBusy(PANE.id())).as("the pane takes the next prompt").isFalse();
	}

	/** The model, noting when a request is really sent (the port sends on next()). */
	ChatModel journaling(ChatModel model) {
		return request -> {
			ModelStream stream = model.stream(request);
			return new ModelStream() {
				boolean sent;

				@Override
				public @Nullable ModelChunk next() {
					if (!sent) {
						sent = true;
						journal.add("model asked");
						modelAsked.countDown();
					}
					return stream.next();
				}

				@Override
				public void continueWith(List<ToolResult> results) {
					stream.continueWith(results);
				}

				@Override
				public void cancel() {
					stream.cancel();
				}

				@Override
				public void close() {
					stream.close();
				}
			};
		};
	}

	static String readAll(ModelStream stream) {
		StringBuilder text = new StringBuilder();
		try (stream) {
			for (ModelChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
				text.append(chunk.text());
			}
		}
		return text.toString();
	}

	/**
	 * Storage in memory, with transactions: a write is kept only when its transaction
	 * ends normally. Each write waits (up to 5 s) for the model to have been asked, as a
	 * slow database would, and notes whether it had been.
	 */
	final class FakeStore implements OpeningStore {

		final List<ChatMessage> committed = new CopyOnWriteArrayList<>();

		final List<ChatMessage> pending = new ArrayList<>();

		boolean failReply;

		long ids = 100;

		@Override
		public <T> T inTransaction(Supplier<T> work) {
			pending.clear();
			try {
				T result = work.get();
				committed.addAll(pending);
				journal.add("committed");
				return result;
			}
			catch (RuntimeException e) {
				journal.add("rolled back");
				throw e;
			}
			finally {
				pending.clear();
			}
		}

		@Override
		public Runnable admit(UserId user) {
			journal.add("admitted");
			return () -> journal.add("counted");
		}

		@Override
		public List<ChatMessage> conversation(UserId user, ConversationId pane) {
			return List.copyOf(committed);
		}

		@Override
		public ChatMessage addPrompt(UserId user, ConversationId pane, String text, List<NewAttachment> files) {
			return write("prompt stored", message(pane, Role.USER, text, MessageStatus.COMPLETE));
		}

		@Override
		public ChatMessage addPromptVersion(ChatMessage prompt, String text) {
			return write("prompt stored", message(prompt.conversationId(), Role.USER, text, MessageStatus.COMPLETE));
		}

		@Override
		public ChatMessage startReply(ConversationId pane, String model, @Nullable String node, int contextDropped) {
			if (failReply) {
				awaitModel();
				throw new DataAccessResourceFailureException("connection lost");
			}
			return write("reply stored", message(pane, Role.ASSISTANT, "", MessageStatus.STREAMING));
		}

		@Override
		public ChatMessage startAnswerVersion(ChatMessage prompt, String model, @Nullable String node,
				int contextDropped) {
			return startReply(prompt.conversationId(), model, node, contextDropped);
		}

		private ChatMessage write(String what, ChatMessage message) {
			awaitModel();
			journal.add(what);
			pending.add(message);
			return message;
		}

		private void awaitModel() {
			try {
				modelAsked.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}

		private ChatMessage message(ConversationId pane, Role role, String text, MessageStatus status) {
			return new ChatMessage(new MessageId(ids++), pane, role, text, status, null, null, null, Usage.NONE,
					Instant.EPOCH, null, "", List.of(), null, false);
		}

	}

	/** One node: nothing streams elsewhere. */
	static final class OneNode implements NodeRole {

		@Override
		public String nodeId() {
			return "node-1";
		}

		@Override
		public void join() {
		}

		@Override
		public void start() {
		}

		@Override
		public void leave() {
		}

		@Override
		public boolean streamingElsewhere(List<ChatMessage> conversation) {
			return false;
		}

		@Override
		public boolean stopElsewhere(ChatMessage reply) {
			return false;
		}

	}

}
