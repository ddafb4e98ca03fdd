package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.Usage;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;
import dev.streamchat.model.SearchGrounding;
import dev.streamchat.model.ToolCall;
import dev.streamchat.model.ToolResult;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.LiveReply;
import dev.streamchat.streaming.ReplyStorage;
import dev.streamchat.streaming.StreamingProperties;
import dev.streamchat.tools.ToolBox;
import dev.streamchat.tools.ToolContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One assistant reply being generated: reads the model's stream on its own thread,
 * publishes every chunk at once as a delta (answer and thinking, each with its own
 * offsets), hands both to {@link ReplyStorage} (batched by default), runs the tools the
 * model asks for and sends their results back in the same conversation, and ends the
 * reply in its own row as complete, failed or stopped.
 * <p>
 * A generation may also take up a reply whose node went away
 * ({@link Start#continuation()}): it starts from what was stored, tells every view so
 * ({@link MessageEvent.Resumed}), drops a repeat of the partial answer's end from the
 * model's continuation ({@link Seam}), and adds its thinking and tokens to those before
 * the seam. And a node that shuts down may hand its generation over ({@link #handOver}):
 * it stores what it has and lets go of the reply for another node to take up.
 * <p>
 * The tool calls are {@link ToolCalls}' business; the round's results go back to the
 * model together once the round's stream has ended, and a reply may take at most
 * {@link ToolBox#maxRounds()} rounds. Whether a failed request is tried again is
 * {@link Retries}' decision, and storing the reply's end {@link ReplyEnding}'s.
 */
public final class Generation {

	private static final Logger log = LoggerFactory.getLogger(Generation.class);

	/**
	 * Where a reply starts: empty, or, taken up after its node went away, what was stored
	 * of it (with the seams, the last of which is where this generation goes on).
	 */
	public record Start(String text, String thinking, List<ToolPart> parts, List<Integer> seams, Usage usage,
			@Nullable Duration firstToken) {

		public static final Start FRESH = new Start("", "", List.of(), List.of(), Usage.NONE, null);

		public Start {
			parts = List.copyOf(parts);
			seams = List.copyOf(seams);
			usage = usage == null ? Usage.NONE : usage;
		}

		public boolean continuation() {
			return !seams.isEmpty();
		}
	}

	private final MessageId messageId;

	private final ConversationId conversationId;

	private final Start start;

	private final ModelRequest request;

	private final ChatModel model;

	private final ReplyWriter replies;

	private final MessageBroadcaster broadcaster;

	private final ReplyStorage storage;

	private final ToolBox tools;

	private final Clock clock;

	private final Instant startedAt;

	/**
	 * Everything generated so far; guarded by {@code this}. Late subscribers copy it
	 * once.
	 */
	private final StringBuilder text = new StringBuilder();

	private final StringBuilder thinking = new StringBuilder();

	private final List<ToolPart> parts = new ArrayList<>();

	private final List<Integer> seams;

	/**
	 * The continuation's first text, until a repeat of the partial answer's end is ruled
	 * out; generation thread only.
	 */
	private @Nullable Seam seam;

	private volatile boolean handingOver;

	private final GroundingCollector grounding = new GroundingCollector();

	/**
	 * The web sources could not be stored when they came: stored again with the end of
	 * the reply.
	 */
	private volatile boolean groundingUnsaved;

	/** The model's stream of the current attempt; null before the first one opens. */
	private volatile @Nullable ModelStream stream;

	/** How the user (or shutdown) stopped the reply, and why; null while nobody has. */
	private volatile @Nullable MessageStatus stopAs;

	private volatile @Nullable String stopReason;

	private volatile int storageWrites;

	/** Time to the first chunk with content; null until it arrives. */
	private @Nullable Duration firstToken;

	private final CompletableFuture<Void> done = new CompletableFuture<>();

	private final CountDownLatch stopped = new CountDownLatch(1);

	private final StreamingMetrics metrics;

	private final RandomGenerator random = RandomGenerator.getDefault();

	private final ToolCalls toolCalls;

	private final Retries retries;

	/** Whose reply it is: only they may read it while it streams. */
	private final UserId owner;

	/**
	 * Recorded on every stored batch: a node that lost the reply may store no more of it.
	 */
	private final @Nullable String node;

	private final ReplyEnding ending;

	public Generation(MessageId messageId, ToolContext owner, ModelRequest request, ChatModel model,
			ReplyWriter replies, Messages messages, ReplyStorage storage, MessageBroadcaster broadcaster, ToolBox tools,
			ToolJson json, StreamingProperties properties, StreamingMetrics metrics, Clock clock) {
		this(messageId, owner, request, model, replies, messages, storage, broadcaster, tools, json, properties,
				metrics, clock, null, Start.FRESH);
	}

	/**
	 * @param node the node generating the reply, recorded on it (null: no guard, as in
	 * tests that store without one)
	 * @param start {@link Start#FRESH}, or what was stored of a reply taken up again
	 */
	public Generation(MessageId messageId, ToolContext owner, ModelRequest request, ChatModel model,
			ReplyWriter replies, Messages messages, ReplyStorage storage, MessageBroadcaster broadcaster, ToolBox tools,
			ToolJson json, StreamingProperties properties, StreamingMetrics metrics, Clock clock, @Nullable String node,
			Start start) {
		this.start = start;
		this.text.append(start.text());
		this.thinking.append(start.thinking());
		this.parts.addAll(start.parts());
		this.seams = start.seams();
		this.firstToken = start.firstToken();
		this.seam = start.continuation() && !start.text().isEmpty() ? new Seam(start.text()) : null;
		this.messageId = messageId;
		this.conversationId = owner.pane();
		this.request = request;
		this.model = model;
		this.replies = replies;
		this.broadcaster = broadcaster;
		this.storage = storage;
		this.tools = tools;
		this.metrics = metrics;
		this.clock = clock;
		this.startedAt = clock.instant();
		this.toolCalls = new ToolCalls(messageId, owner, tools, json, replies, broadcaster, this, parts);
		this.retries = new Retries(properties.retry(), messageId, conversationId, broadcaster, metrics, clock,
				startedAt, stopped, random);
		this.node = node;
		this.owner = owner.owner();
		this.ending = new ReplyEnding(messageId, conversationId, owner.owner(), node, replies, messages, broadcaster,
				clock, startedAt);
	}

	public MessageId messageId() {
		return messageId;
	}

	public UserId owner() {
		return owner;
	}

	public ConversationId conversationId() {
		return conversationId;
	}

	/**
	 * The text generated so far: a copy, taken once by a UI that starts showing this
	 * reply mid-stream.
	 */
	public synchronized String text() {
		return text.toString();
	}

	/** Everything generated so far, copied once. */
	public synchronized LiveReply snapshot() {
		return new LiveReply(text.toString(), thinking.toString(), parts, seams,
				grounding.isEmpty() ? null : grounding.current());
	}

	/** Completed by the owner once the reply has ended and been published. */
	public CompletableFuture<Void> done() {
		return done;
	}

	/** Batches appended to storage (not counting the final write). */
	public int storageWrites() {
		return storageWrites;
	}

	/**
	 * Ends the reply early, keeping the text so far; returns at once. The reading thread
	 * notices within milliseconds even if the model is silent, since the upstream call is
	 * cancelled, and tools still running are abandoned.
	 */
	public void stop(MessageStatus status, @Nullable String reason) {
		if (stopAs != null) {
			return;
		}
		stopReason = reason;
		stopAs = status;
		stopped.countDown();
		ModelStream current = stream;
		if (current != null) {
			current.cancel();
		}
		toolCalls.cancelRunning();
	}

	/**
	 * Lets go of the reply for another node to take up (this node shuts down and cannot
	 * wait for it any longer): like {@link #stop}, but the reply is stored as it stands
	 * and left streaming, not ended. Returns at once.
	 */
	public void handOver(String reason) {
		handingOver = true;
		stop(MessageStatus.INTERRUPTED, reason);
	}

	/** Runs the whole reply; called once, on the generation's own (virtual) thread. */
	public void run() {
		ReplyStorage.Writer writer = storage.open(messageId, start.text().length(), start.thinking().length(), node);
		if (start.continuation()) {
			// every view drops what the lost node streamed beyond storage, and marks the
			// seam
			broadcaster.publish(new MessageEvent.Resumed(conversationId, messageId, start.text().length(),
					start.thinking().length()));
			broadcaster
				.publish(new MessageEvent.PhaseChanged(conversationId, messageId, MessageEvent.Phase.WAITING, null));
		}
		Outcome outcome = generate(writer);
		boolean allStored = writer.close(Duration.ofSeconds(10));
		storageWrites = writer.writes();
		if (handingOver && letGo(outcome)) {
			metrics.ended("HANDED_OVER");
			return;
		}
		metrics.ended(outcome.status().name());
		toolCalls.endRunning("cancelled: the answer was stopped");
		ending.finish(snapshot(), outcome, allStored, groundingUnsaved);
	}

	/**
	 * Stores the reply as it stands and lets go of it; false if it was not this node's to
	 * let go of.
	 */
	private boolean letGo(Outcome outcome) {
		if (!ending.canLetGo()) {
			return false; // stored without a node: nobody would know it was let go of
		}
		toolCalls.endRunning("not finished: the server restarted");
		return ending.letGo(snapshot(), outcome);
	}

	/**
	 * How far the reply got: the model's last finish reason and the tokens of every round
	 * so far.
	 */
	private static final class Progress {

		private @Nullable String finishReason;

		private Usage usage = Usage.NONE;

		private boolean receivedAny;

	}

	/**
	 * Asks the model for the reply, again while a failure before anything arrived may
	 * pass (visibly, as a phase of the reply); once anything has reached the user it
	 * never is.
	 */
	private Outcome generate(ReplyStorage.Writer writer) {
		Progress progress = new Progress();
		progress.usage = start.usage();
		for (int attempt = 1;; attempt++) {
			progress.receivedAny = false;
			try (ModelStream opened = model.stream(request)) {
				stream = opened;
				if (stopAs != null) {
					opened.cancel();
				}
				String limitMessage = toolRounds(opened, writer, progress);
				return outcome(MessageStatus.COMPLETE, limitMessage, progress);
			}
			catch (ModelException e) {
				if (stopAs != null) {
					return outcome(MessageStatus.FAILED, null, progress);
				}
				Optional<Duration> wait = retries.after(e, attempt, !progress.receivedAny && nothingNew());
				if (wait.isPresent()) {
					if (!retries.waitToRetry(e, attempt, wait.get())) {
						return outcome(MessageStatus.FAILED, null, progress);
					}
					continue;
				}
				metrics.failed(e.kind());
				return outcome(MessageStatus.FAILED, Retries.gaveUp(e, attempt), progress);
			}
			catch (RuntimeException e) {
				// the exception's text may be SQL or a stack of internals: the log gets
				// it, the bubble a reference
				String reference = "%08x".formatted(random.nextInt());
				log.error("Reply {} failed unexpectedly [ref {}]", messageId, reference, e);
				return outcome(MessageStatus.FAILED, "Something went wrong on the server (reference " + reference
						+ "). The details are in the server log.", progress);
			}
		}
	}

	/**
	 * Reads the model's stream into the reply, round by round while the model calls
	 * tools.
	 * @return why the reply was cut short after too many rounds, else null
	 */
	private @Nullable String toolRounds(ModelStream opened, ReplyStorage.Writer writer, Progress progress) {
		for (int rounds = 0;; rounds++) {
			List<CompletableFuture<ToolResult>> calls = readRound(opened, writer, progress, rounds < tools.maxRounds());
			if (stopAs != null || calls.isEmpty()) {
				return null;
			}
			List<ToolResult> results = calls.stream().map(CompletableFuture::join).toList();
			toolCalls.storeRound();
			if (rounds >= tools.maxRounds()) {
				progress.finishReason = "TOOL_LIMIT";
				return "Stopped: the model kept calling tools after " + tools.maxRounds()
						+ " rounds (limit chat.tools.max-rounds).";
			}
			if (stopAs != null) {
				return null;
			}
			broadcaster
				.publish(new MessageEvent.PhaseChanged(conversationId, messageId, MessageEvent.Phase.WAITING, null));
			opened.continueWith(results);
		}
	}

	/**
	 * One round of the stream: its text and thinking published and stored, its tool calls
	 * started.
	 */
	private List<CompletableFuture<ToolResult>> readRound(ModelStream opened, ReplyStorage.Writer writer,
			Progress progress, boolean toolsAllowed) {
		List<CompletableFuture<ToolResult>> calls = new ArrayList<>();
		ModelChunk.TokenCounts roundUsage = null;
		int roundStart = text().length();
		ModelChunk chunk;
		while (stopAs == null && (chunk = opened.next()) != null) {
			progress.receivedAny = true;
			if (firstToken == null
					&& (!chunk.text().isEmpty() || !chunk.thought().isEmpty() || !chunk.toolCalls().isEmpty())) {
				firstToken = Duration.between(startedAt, clock.instant());
			}
			if (!chunk.thought().isEmpty()) {
				acceptThought(chunk.thought(), writer);
			}
			if (!chunk.text().isEmpty()) {
				accept(chunk.text(), writer);
			}
			for (ToolCall call : chunk.toolCalls()) {
				flushSeam(writer); // the call stands after whatever text came before it
				calls.add(toolCalls.start(call, text().length(), toolsAllowed));
			}
			if (chunk.grounding() != null) {
				acceptGrounding(chunk.grounding(), roundStart);
			}
			if (chunk.finishReason() != null) {
				progress.finishReason = chunk.finishReason();
			}
			if (chunk.usage() != null) {
				roundUsage = chunk.usage();
			}
		}
		flushSeam(writer);
		progress.usage = add(progress.usage, roundUsage);
		return calls;
	}

	private static Usage add(Usage total, ModelChunk.@Nullable TokenCounts round) {
		if (round == null) {
			return total;
		}
		// every round is a request of its own: its prompt and output both count
		return new Usage(total.inputTokens() + round.input(), total.outputTokens() + round.output(),
				total.thoughtTokens() + round.thoughts());
	}

	/**
	 * Whether this generation has added nothing to the reply yet (a retry then repeats
	 * nothing).
	 */
	private synchronized boolean nothingNew() {
		return text.length() == start.text().length() && parts.size() == start.parts().size();
	}

	private void flushSeam(ReplyStorage.Writer writer) {
		if (seam != null) {
			String held = seam.flush();
			seam = null;
			if (!held.isEmpty()) {
				append(held, writer);
			}
		}
	}

	private void accept(String chunk, ReplyStorage.Writer writer) {
		if (seam != null) {
			chunk = seam.offer(chunk);
			if (seam.decided()) {
				seam = null;
			}
			if (chunk.isEmpty()) {
				return;
			}
		}
		append(chunk, writer);
	}

	private void append(String chunk, ReplyStorage.Writer writer) {
		int offset;
		synchronized (this) {
			offset = text.length();
			text.append(chunk);
		}
		if (offset == start.text().length()) {
			metrics.firstToken(Duration.between(startedAt, clock.instant()));
			broadcaster
				.publish(new MessageEvent.PhaseChanged(conversationId, messageId, MessageEvent.Phase.GENERATING, null));
		}
		metrics.received(chunk.length());
		// the default writer only queues the chunk: storage happens on its own thread
		writer.append(offset, chunk);
		broadcaster.publish(new MessageEvent.Delta(conversationId, messageId, offset, chunk));
	}

	/**
	 * The model's web sources for this round: stored (one statement, once or twice per
	 * answer) and then published, so a tab on another node reads them from storage.
	 */
	private void acceptGrounding(SearchGrounding received, int roundStart) {
		Grounding now;
		synchronized (this) {
			now = grounding.add(received, text, roundStart);
		}
		try {
			replies.saveGrounding(messageId, now);
			groundingUnsaved = false;
		}
		catch (RuntimeException e) {
			groundingUnsaved = true;
			log.warn("Storing the web sources of reply {} failed; they are stored when the reply ends: {}", messageId,
					e.toString());
		}
		broadcaster.publish(new MessageEvent.Grounded(conversationId, messageId, now));
	}

	private void acceptThought(String chunk, ReplyStorage.Writer writer) {
		int offset;
		synchronized (this) {
			offset = thinking.length();
			thinking.append(chunk);
		}
		writer.appendThought(offset, chunk);
		broadcaster.publish(new MessageEvent.ThoughtDelta(conversationId, messageId, offset, chunk));
	}

	/**
	 * A stop request wins over whatever the stream ended with, since cancelling makes it
	 * fail.
	 */
	private Outcome outcome(MessageStatus status, @Nullable String error, Progress progress) {
		MessageStatus stoppedAs = stopAs;
		if (stoppedAs != null) {
			return new Outcome(stoppedAs, stopReason, progress.finishReason, progress.usage, firstToken);
		}
		return new Outcome(status, error, progress.finishReason, progress.usage, firstToken);
	}

}
