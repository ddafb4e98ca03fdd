package dev.streamchat.broadcast.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.Messages;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Fan-out across the app nodes sharing one PostgreSQL database, with
 * {@code LISTEN/NOTIFY}. Local listeners get an event at once, in memory; a publisher
 * thread sends it to the other nodes, everything queued meanwhile in one statement (so
 * the model's thread never waits for the network), and a listener thread on each node
 * hands remote events to its own listeners. PostgreSQL delivers notifications in commit
 * order, and one publisher per node commits in publication order, so a reply's deltas
 * arrive in order; their offsets let every receiver skip what it has and reload after a
 * gap, as within one node.
 * <p>
 * Each node also keeps the text of the remote replies that a tab of this node shows
 * ({@link RemoteTexts}, fed here before a delta reaches any listener), so a pane opened
 * (or reloaded after a gap) on this node shows the reply up to the latest delta, not only
 * up to the last batch stored.
 * <p>
 * When PostgreSQL is slow or away, the outbox is bounded
 * ({@link Tuning#maxOutboxChars()}): live text beyond it is dropped, which receivers see
 * as a gap in the offsets and fill from storage; control events (a new message, a reply's
 * end, Stop, signals) still queue, up to twice the bound. The {@code LISTEN} connection
 * is probed after {@link Tuning#probeAfter()} of silence, so a half-open socket (a peer
 * gone without a word) is found and replaced; after any reconnection every pane a tab of
 * this node shows reloads from storage, since notifications sent meanwhile are lost.
 */
@Component
@ConditionalOnProperty(name = "chat.cluster.mode", havingValue = "postgres")
class PostgresMessageBroadcaster implements MessageBroadcaster, SmartLifecycle {

	static final String CHANNEL = "streamchat_events";

	private static final Logger log = LoggerFactory.getLogger(PostgresMessageBroadcaster.class);

	private static final int MAX_PER_STATEMENT = 500;

	private static final Object STOP = new Object();

	/**
	 * The panes' "reload as stored" event after a reconnection names no particular
	 * message.
	 */
	private static final MessageId ANY_MESSAGE = new MessageId(0);

	/**
	 * How the channel holds up when PostgreSQL or the network fails (tests shorten the
	 * times).
	 *
	 * @param maxOutboxChars characters of notifications waiting to be sent beyond which
	 * live text is dropped
	 * @param probeAfter silence on the LISTEN connection after which it is probed
	 * @param probeTimeout how long the probe may take before the connection counts as
	 * dead
	 * @param remoteTextTtl how long a copy of a remote reply's text is kept without a new
	 * delta
	 */
	record Tuning(long maxOutboxChars, Duration probeAfter, Duration probeTimeout, Duration remoteTextTtl) {
		static final Tuning DEFAULT = new Tuning(4_000_000, Duration.ofSeconds(5), Duration.ofSeconds(5),
				Duration.ofMinutes(2));

	}

	private final InMemoryMessageBroadcaster local = new InMemoryMessageBroadcaster();

	private final DataSource dataSource;

	private final Messages messages;

	/** Tells this node's notifications from the others' (a node hears its own, too). */
	private final String origin = UUID.randomUUID().toString();

	private final AtomicLong seq = new AtomicLong();

	private final BlockingQueue<Object> outbox = new LinkedBlockingQueue<>();

	/** Characters waiting in the outbox: what bounds it. */
	private final AtomicLong outboxChars = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final Tuning tuning;

	private final RemoteTexts remoteTexts;

	private final Map<String, Long> lastSeqByOrigin = new ConcurrentHashMap<>();

	private final List<Consumer<MessageId>> stopHandlers = new CopyOnWriteArrayList<>();

	private final Map<String, List<Consumer<String>>> signalHandlers = new ConcurrentHashMap<>();

	private volatile boolean running;

	/** Started by {@link #start()}; null before. */
	private @Nullable Thread publisher;

	private @Nullable Thread listener;

	@Autowired
	PostgresMessageBroadcaster(DataSource dataSource, Messages messages) {
		this(dataSource, messages, Tuning.DEFAULT);
	}

	PostgresMessageBroadcaster(DataSource dataSource, Messages messages, Tuning tuning) {
		this.dataSource = dataSource;
		this.messages = messages;
		this.tuning = tuning;
		this.remoteTexts = new RemoteTexts(local::watched, messages::storedText, tuning.remoteTextTtl());
	}

	@Override
	public void publish(MessageEvent event) {
		if (event instanceof MessageEvent.Finished || event instanceof MessageEvent.Resumed) {
			// this node ended or took over a remote reply (its node died): storage, not
			// what arrived, is the truth now
			remoteTexts.forget(event.messageId());
		}
		local.publish(event);
		boolean liveText = event instanceof MessageEvent.Delta || event instanceof MessageEvent.ThoughtDelta;
		// numbered and queued in one step, so the numbers go out in order
		synchronized (outbox) {
			if (admitted(liveText)) {
				enqueue(Notifications.encode(origin, seq::incrementAndGet, event));
			}
		}
	}

	/**
	 * Whether the outbox takes one more notification. Live text goes first when
	 * PostgreSQL does not keep up: the other nodes' tabs see the gap by offset and read
	 * the text from storage. Called under the lock.
	 */
	private boolean admitted(boolean liveText) {
		long pending = outboxChars.get();
		if (pending < tuning.maxOutboxChars() || !liveText && pending < 2 * tuning.maxOutboxChars()) {
			return true;
		}
		if (dropped.getAndIncrement() == 0) {
			log.warn("PostgreSQL takes no notifications ({} characters waiting): dropping {} for other nodes until it "
					+ "does (their tabs read it from storage)", pending, liveText ? "live text" : "everything");
		}
		return false;
	}

	/** Called under the lock. */
	private void enqueue(List<String> payloads) {
		for (String payload : payloads) {
			outboxChars.addAndGet(payload.length());
		}
		outbox.addAll(payloads);
	}

	/** Characters of notifications waiting to be sent (for tests). */
	long pendingChars() {
		return outboxChars.get();
	}

	@Override
	public Subscription subscribe(ConversationId pane, Consumer<MessageEvent> listener) {
		return local.subscribe(pane, listener);
	}

	@Override
	public int subscriberCount() {
		return local.subscriberCount();
	}

	@Override
	public Optional<String> remoteText(MessageId reply) {
		return remoteTexts.text(reply);
	}

	@Override
	public void requestStop(MessageId reply) {
		synchronized (outbox) {
			if (admitted(false)) {
				enqueue(List.of(Notifications.stopRequest(origin, seq.incrementAndGet(), reply)));
			}
		}
	}

	@Override
	public Subscription onStopRequest(Consumer<MessageId> handler) {
		Consumer<MessageId> entry = handler::accept;
		stopHandlers.add(entry);
		return () -> stopHandlers.remove(entry);
	}

	@Override
	public void signal(String topic, String payload) {
		synchronized (outbox) {
			if (admitted(false)) {
				enqueue(List.of(Notifications.signal(origin, seq.incrementAndGet(), topic, payload)));
			}
		}
	}

	@Override
	public Subscription onSignal(String topic, Consumer<String> handler) {
		Consumer<String> entry = handler::accept;
		signalHandlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(entry);
		return () -> signalHandlers.getOrDefault(topic, List.of()).remove(entry);
	}

	// ---- sending

	private void publishLoop() {
		List<Object> batch = new ArrayList<>();
		while (true) {
			try {
				batch.add(outbox.take());
			}
			catch (InterruptedException e) {
				return;
			}
			outbox.drainTo(batch, MAX_PER_STATEMENT - 1);
			boolean stop = batch.remove(STOP);
			long chars = 0;
			for (Object payload : batch) {
				chars += ((String) payload).length();
			}
			if (outboxChars.addAndGet(-chars) < tuning.maxOutboxChars() / 2 && dropped.get() > 0) {
				log.info("Notifying other nodes again; {} notifications were dropped meanwhile", dropped.getAndSet(0));
			}
			if (!batch.isEmpty()) {
				send(batch.stream().map(String.class::cast).toList());
			}
			batch.clear();
			if (stop) {
				return;
			}
		}
	}

	/**
	 * One statement, one transaction: PostgreSQL keeps the order of the notifications
	 * within it.
	 */
	private void send(List<String> payloads) {
		long backoff = 50;
		for (int attempt = 1;; attempt++) {
			try (Connection connection = dataSource.getConnection();
					PreparedStatement notify = connection.prepareStatement("select pg_notify('" + CHANNEL
							+ "', payload) from unnest(?) with ordinality as t(payload, n) order by n")) {
				Array array = connection.createArrayOf("text", payloads.toArray());
				notify.setArray(1, array);
				notify.executeQuery().close();
				if (!connection.getAutoCommit()) {
					connection.commit();
				}
				return;
			}
			catch (SQLException e) {
				if (attempt == 5 || !running) {
					// receivers see the gap by offset and reload from storage
					log.warn("Dropping {} notifications for other nodes: {}", payloads.size(), e.toString());
					return;
				}
				log.warn("Notifying other nodes failed (attempt {}), retrying: {}", attempt, e.toString());
				sleep(backoff);
				backoff *= 2;
			}
		}
	}

	// ---- receiving

	private void listenLoop() {
		long backoff = 100;
		boolean first = true;
		while (running) {
			try (Connection connection = dataSource.getConnection()) {
				connection.setAutoCommit(true);
				try (Statement statement = connection.createStatement()) {
					statement.execute("listen " + CHANNEL);
				}
				if (!first) {
					catchUp();
				}
				first = false;
				backoff = 100;
				PGConnection pg = connection.unwrap(PGConnection.class);
				long heard = System.nanoTime();
				long swept = heard;
				while (running) {
					PGNotification[] notifications = pg.getNotifications(250);
					long now = System.nanoTime();
					if (notifications != null && notifications.length > 0) {
						heard = now;
						for (PGNotification notification : notifications) {
							receive(notification.getParameter());
						}
					}
					else if (now - heard > tuning.probeAfter().toNanos()) {
						// silence: the other nodes are quiet, or the socket is half-open
						// and this node deaf
						probe(connection);
						heard = now;
					}
					if (now - swept > Math.min(1_000_000_000L, tuning.remoteTextTtl().toNanos() / 2)) {
						remoteTexts.sweep(now);
						swept = now;
					}
				}
			}
			catch (SQLException e) {
				if (running) {
					log.warn("Lost the connection that listens to other nodes, reconnecting: {}", e.toString());
					sleep(backoff);
					backoff = Math.min(backoff * 2, 5_000);
				}
			}
		}
	}

	/**
	 * A query on the LISTEN connection that must answer within the probe timeout; a
	 * half-open socket never answers, and the read's timeout turns that into an exception
	 * (and a new connection).
	 */
	private void probe(Connection connection) throws SQLException {
		connection.setNetworkTimeout(Runnable::run, (int) tuning.probeTimeout().toMillis());
		try (Statement statement = connection.createStatement()) {
			statement.execute("select 1");
		}
		connection.setNetworkTimeout(Runnable::run, 0);
	}

	/**
	 * After a reconnection: whatever was said while this node was deaf is lost. The texts
	 * start over from storage, and every pane a tab here shows reloads as stored (a reply
	 * that ended meanwhile shows its end; one still streaming goes on from the next
	 * delta, by offset).
	 */
	private void catchUp() {
		remoteTexts.clear();
		lastSeqByOrigin.clear();
		Set<ConversationId> panes = local.watchedPanes();
		log.info("Listening to other nodes again; reloading the {} panes shown here", panes.size());
		for (ConversationId pane : panes) {
			local.publish(new MessageEvent.PathChanged(pane, ANY_MESSAGE));
		}
	}

	private void receive(String payload) {
		Notifications.Received received;
		try {
			received = Notifications.decode(payload);
		}
		catch (RuntimeException e) {
			log.warn("Ignoring a malformed notification: {}", e.toString());
			return;
		}
		if (received.origin().equals(origin)) {
			return; // delivered locally when published
		}
		Long last = lastSeqByOrigin.put(received.origin(), received.seq());
		if (last != null && received.seq() != last + 1) {
			log.warn("Missed {} notifications of another node", received.seq() - last - 1);
			remoteTexts.forgetOrigin(received.origin());
		}
		try {
			switch (received) {
				case Notifications.Added added ->
					messages.stored(added.messageId()).ifPresent(m -> local.publish(new MessageEvent.Added(m)));
				case Notifications.Grounded grounded -> messages.stored(grounded.messageId()).ifPresent(m -> {
					Grounding sources = m.grounding();
					if (sources != null) {
						local.publish(new MessageEvent.Grounded(grounded.paneId(), m.id(), sources));
					}
				});
				case Notifications.StopRequest stop -> stopHandlers.forEach(h -> h.accept(stop.messageId()));
				case Notifications.Signal signal ->
					signalHandlers.getOrDefault(signal.topic(), List.of()).forEach(h -> h.accept(signal.payload()));
				case Notifications.Event(String from, long s, MessageEvent event) -> {
					switch (event) {
						case MessageEvent.Delta delta -> remoteTexts.follow(from, delta);
						// storage has the whole text now: a receiver that missed some
						// reloads it from there
						case MessageEvent.Finished finished -> remoteTexts.forget(finished.messageId());
						// another node took the reply up from storage: what the lost node
						// sent beyond it is void
						case MessageEvent.Resumed resumed -> remoteTexts.forget(resumed.messageId());
						default -> {
						}
					}
					local.publish(event);
				}
			}
		}
		catch (RuntimeException e) {
			log.warn("Handling a notification of another node failed", e);
		}
	}

	// ---- lifecycle

	@Override
	public void start() {
		// after a stop, whatever was said meanwhile is lost: follow remote replies afresh
		remoteTexts.clear();
		lastSeqByOrigin.clear();
		running = true;
		publisher = Thread.ofPlatform().daemon().name("notify-publisher").start(this::publishLoop);
		listener = Thread.ofPlatform().daemon().name("notify-listener").start(this::listenLoop);
	}

	/**
	 * After the streaming service has published how its replies ended, before the
	 * database goes.
	 */
	@Override
	public void stop() {
		outbox.add(STOP);
		join(publisher, Duration.ofSeconds(5));
		running = false;
		join(listener, Duration.ofSeconds(2));
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 2;
	}

	private static void join(@Nullable Thread thread, Duration timeout) {
		try {
			if (thread != null && !thread.join(timeout)) {
				thread.interrupt();
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			TimeUnit.MILLISECONDS.sleep(millis);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

}
