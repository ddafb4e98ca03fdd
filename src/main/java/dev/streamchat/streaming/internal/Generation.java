package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.PaneId;
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
 * Tool calls start the moment their chunk arrives, each on its own thread (parallel calls
 * run in parallel), and publish their result as soon as they have it; the round's results
 * go back to the model together once the round's stream has ended. A reply may take at
 * most {@link ToolBox#maxRounds()} rounds of tool calls.
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

	private final PaneId paneId;

	/**
	 * The node generating the reply: storage refuses its end once another node has taken
	 * it over.
	 */
	private final @Nullable String node;

	private final Start start;

	/** Whose reply this is: tools run for that user and conversation. */
	private final ToolContext toolContext;

	private final ModelRequest request;

	private final ChatModel model;

	private final ReplyWriter replies;

	private final Messages messages;

	private final ToolJson json;

	private final MessageBroadcaster broadcaster;

	private final ReplyStorage storage;

	private final ToolBox tools;

	private final StreamingProperties properties;

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

	private final List<ToolBox.Running> runningTools = new ArrayList<>();

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
		this.node = node;
		this.start = start;
		this.text.append(start.text());
		this.thinking.append(start.thinking());
		this.parts.addAll(start.parts());
		this.seams = start.seams();
		this.firstToken = start.firstToken();
		this.seam = start.continuation() && !start.text().isEmpty() ? new Seam(start.text()) : null;
		this.messageId = messageId;
		this.paneId = owner.pane();
		this.toolContext = owner;
		this.request = request;
		this.model = model;
		this.replies = replies;
		this.messages = messages;
		this.json = json;
		this.broadcaster = broadcaster;
		this.storage = storage;
		this.tools = tools;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
		this.startedAt = clock.instant();
	}

	public MessageId messageId() {
		return messageId;
	}

	public PaneId paneId() {
		return paneId;
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
		synchronized (this) {
			runningTools.forEach(ToolBox.Running::cancel);
		}
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
			broadcaster
				.publish(new MessageEvent.Resumed(paneId, messageId, start.text().length(), start.thinking().length()));
			broadcaster.publish(new MessageEvent.PhaseChanged(paneId, messageId, MessageEvent.Phase.WAITING, null));
		}
		Outcome outcome = generate(writer);
		boolean allStored = writer.close(Duration.ofSeconds(10));
		storageWrites = writer.writes();
		if (handingOver && letGo(outcome)) {
			metrics.ended("HANDED_OVER");
			return;
		}
		metrics.ended(outcome.status().name());
		finish(outcome, allStored);
	}

	/**
	 * Stores the reply as it stands and lets go of it; false if it was not this node's to
	 * let go of.
	 */
	private boolean letGo(Outcome outcome) {
		if (node == null) {
			return false; // stored without a node: nobody would know it was let go of
		}
		LiveReply last = endRunningParts("not finished: the server restarted");
		try {
			if (!replies.release(messageId, node, last.parts(), outcome.usage(), outcome.firstToken())) {
				return false;
			}
		}
		catch (RuntimeException e) {
			log.warn("Could not hand reply {} over; it ends interrupted: {}", messageId, e.toString());
			return false;
		}
		broadcaster.publish(new MessageEvent.PhaseChanged(paneId, messageId, MessageEvent.Phase.PAUSED,
				"this server is restarting; another one continues the answer…"));
		return true;
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
		StreamingProperties.Retry retry = properties.retry();
		Instant deadline = startedAt.plus(retry.deadline());
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
				int next = attempt + 1;
				Duration wait = e.retryAfter().orElseGet(() -> retry.backoff(next, random));
				boolean retryable = e.worthRetrying() && !progress.receivedAny && nothingNew();
				if (retryable && attempt < retry.maxAttempts() && clock.instant().plus(wait).isBefore(deadline)) {
					if (!waitToRetry(e, attempt, wait)) {
						return outcome(MessageStatus.FAILED, null, progress);
					}
					continue;
				}
				metrics.failed(e.kind());
				String message = e.getMessage();
				if (attempt > 1) {
					message += " (gave up after " + attempt + " attempts)";
				}
				return outcome(MessageStatus.FAILED, message, progress);
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
	 * Shows that (and when) the reply is tried again, and waits; false if the user
	 * stopped it meanwhile.
	 */
	private boolean waitToRetry(ModelException e, int attempt, Duration wait) {
		int maxAttempts = properties.retry().maxAttempts();
		metrics.retried();
		long seconds = Math.max(1, Math.round(wait.toMillis() / 1000.0));
		log.info("Reply {}: attempt {} failed ({}), retrying in {} ms", messageId, attempt, e.kind(), wait.toMillis());
		broadcaster.publish(new MessageEvent.PhaseChanged(paneId, messageId, MessageEvent.Phase.RETRYING,
				"%s: retrying (%d/%d) in %d s".formatted(shortReason(e), attempt + 1, maxAttempts, seconds)));
		if (!awaitUnlessStopped(wait)) {
			return false;
		}
		broadcaster.publish(new MessageEvent.PhaseChanged(paneId, messageId, MessageEvent.Phase.WAITING, null));
		return true;
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
			storeParts();
			if (rounds >= tools.maxRounds()) {
				progress.finishReason = "TOOL_LIMIT";
				return "Stopped: the model kept calling tools after " + tools.maxRounds()
						+ " rounds (limit chat.tools.max-rounds).";
			}
			if (stopAs != null) {
				return null;
			}
			broadcaster.publish(new MessageEvent.PhaseChanged(paneId, messageId, MessageEvent.Phase.WAITING, null));
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
				calls.add(startTool(call, toolsAllowed));
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

	private static String shortReason(ModelException e) {
		return switch (e.kind()) {
			case RATE_LIMITED -> "rate limited";
			case UNREACHABLE -> "model unreachable";
			default -> e.httpStatus() > 0 ? "model error " + e.httpStatus() : "model error";
		};
	}

	/** Waits before a retry; false if the user stopped the reply meanwhile. */
	private boolean awaitUnlessStopped(Duration wait) {
		try {
			return !stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
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
			broadcaster.publish(new MessageEvent.PhaseChanged(paneId, messageId, MessageEvent.Phase.GENERATING, null));
		}
		metrics.received(chunk.length());
		// the default writer only queues the chunk: storage happens on its own thread
		writer.append(offset, chunk);
		broadcaster.publish(new MessageEvent.Delta(paneId, messageId, offset, chunk));
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
		broadcaster.publish(new MessageEvent.Grounded(paneId, messageId, now));
	}

	private void acceptThought(String chunk, ReplyStorage.Writer writer) {
		int offset;
		synchronized (this) {
			offset = thinking.length();
			thinking.append(chunk);
		}
		writer.appendThought(offset, chunk);
		broadcaster.publish(new MessageEvent.ThoughtDelta(paneId, messageId, offset, chunk));
	}

	/**
	 * Shows the call at once and starts it (or, past the round limit, refuses it); the
	 * future completes with the result after it has been published.
	 */
	private CompletableFuture<ToolResult> startTool(ToolCall call, boolean allowed) {
		ToolPart part;
		synchronized (this) {
			part = new ToolPart(parts.size(), text.length(), call.name(), json.write(call.args()),
					ToolPart.ToolStatus.RUNNING, null, null);
			parts.add(part);
		}
		broadcaster.publish(new MessageEvent.ToolUpdate(paneId, messageId, part));
		if (!allowed) {
			ToolResult refused = ToolResult.failed(call,
					"not run: the limit of " + tools.maxRounds() + " tool rounds per answer was reached");
			complete(part, refused);
			return CompletableFuture.completedFuture(refused);
		}
		ToolBox.Running running = tools.start(call, toolContext);
		synchronized (this) {
			runningTools.add(running);
		}
		try {
			replies.savePart(messageId, part);
		}
		catch (RuntimeException e) {
			log.warn("Storing tool call {} of reply {} failed; it is stored when the reply ends: {}", part.seq(),
					messageId, e.toString());
		}
		// each call publishes its own result the moment it has one, whatever the others
		// do
		return CompletableFuture.supplyAsync(() -> {
			ToolResult result = running.await();
			complete(part, result);
			return result;
		}, command -> Thread.ofVirtual().name("tool-wait-" + messageId).start(command));
	}

	private void complete(ToolPart running, ToolResult result) {
		String error = result.error();
		// a call that did not fail answers the model with its result
		ToolPart ended = error != null ? running.failed(error) : running.done(json.write(result.response()));
		synchronized (this) {
			if (parts.get(ended.seq()).status().isFinal()) {
				return; // the reply ended (stopped) before this call did
			}
			parts.set(ended.seq(), ended);
		}
		broadcaster.publish(new MessageEvent.ToolUpdate(paneId, messageId, ended));
	}

	/**
	 * Stores the round's ended calls on the generation's thread, so no two writes of a
	 * part race.
	 */
	private void storeParts() {
		List<ToolPart> ended;
		synchronized (this) {
			ended = List.copyOf(parts);
			runningTools.clear();
		}
		try {
			ended.forEach(part -> replies.savePart(messageId, part));
		}
		catch (RuntimeException e) {
			log.warn("Storing the tool results of reply {} failed; they are stored when the reply ends: {}", messageId,
					e.toString());
		}
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

	private void finish(Outcome outcome, boolean allStored) {
		LiveReply last = endRunningParts("cancelled: the answer was stopped");
		String finalText = last.text();
		boolean saved = false;
		for (int attempt = 1; attempt <= 5 && !saved; attempt++) {
			try {
				if (groundingUnsaved && last.grounding() != null) {
					replies.saveGrounding(messageId, last.grounding());
					groundingUnsaved = false;
				}
				boolean ended = node == null
						? replies.finish(messageId, finalText, last.thinking(), last.parts(), outcome)
						: replies.finish(messageId, node, finalText, last.thinking(), last.parts(), outcome);
				if (!ended) {
					// another node ended it first, or took it over (it took this one for
					// dead): what is stored is the truth
					Optional<ChatMessage> stored = messages.message(toolContext.owner(), messageId);
					if (stored.isPresent() && stored.get().isStreaming()) {
						log.info("Reply {} goes on on another node; this one lets go of it", messageId);
						return;
					}
					stored = stored.filter(m -> m.status().isFinal());
					if (stored.isPresent()) {
						finalText = stored.get().text();
						outcome = new Outcome(stored.get().status(), stored.get().error(), stored.get().finishReason(),
								stored.get().usage());
					}
				}
				saved = true;
			}
			catch (RuntimeException e) {
				log.warn("Storing the end of reply {} failed (attempt {}): {}", messageId, attempt, e.toString());
				sleepQuietly(Duration.ofMillis(100L << attempt));
			}
		}
		if (!saved) {
			// still STREAMING in storage: the next start-up marks it interrupted with
			// what was stored
			log.error("Reply {} could not be stored; {} of {} characters were", messageId,
					allStored ? finalText.length() : "some", finalText.length());
			outcome = new Outcome(MessageStatus.FAILED,
					"The answer could not be saved (database unavailable); it is shown here but may be lost on reload.",
					outcome.finishReason(), outcome.usage(), outcome.firstToken());
		}
		broadcaster.publish(new MessageEvent.Finished(paneId, messageId, outcome.status(), outcome.error(),
				outcome.finishReason(), outcome.usage(), Duration.between(startedAt, clock.instant()),
				finalText.length(), last.thinking().length(), outcome.firstToken()));
	}

	/**
	 * Calls still running when the reply ends (it was stopped) end as cancelled, on
	 * screen and in storage.
	 */
	private LiveReply endRunningParts(String why) {
		List<ToolPart> cancelled = new ArrayList<>();
		synchronized (this) {
			runningTools.forEach(ToolBox.Running::cancel);
			for (int i = 0; i < parts.size(); i++) {
				if (!parts.get(i).status().isFinal()) {
					parts.set(i, parts.get(i).failed(why));
					cancelled.add(parts.get(i));
				}
			}
		}
		cancelled.forEach(part -> broadcaster.publish(new MessageEvent.ToolUpdate(paneId, messageId, part)));
		return snapshot();
	}

	private static void sleepQuietly(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

}
