package dev.streamchat.broadcast.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.Usage;
import dev.streamchat.history.ConversationEvent;
import dev.streamchat.history.ConversationEvents;
import dev.streamchat.history.Conversations;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.ClusterAppTest;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes' broadcasters over one real PostgreSQL: the app's own, and a second one
 * started here.
 */
@ClusterAppTest
class PostgresMessageBroadcasterTest {

	@Autowired
	MessageBroadcaster nodeA;

	@Autowired
	DataSource dataSource;

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	ReplyWriter replyWriter;

	@Autowired
	UserAccounts accounts;

	PostgresMessageBroadcaster nodeB;

	Conversation pane;

	List<MessageEvent> receivedOnB = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startSecondNode() {
		nodeB = new PostgresMessageBroadcaster(dataSource, messageStore);
		nodeB.start();
		pane = paneStore.create(alice(), "gemini-2.5-flash");
		nodeB.subscribe(pane.id(), receivedOnB::add);
	}

	@AfterEach
	void stopSecondNode() {
		nodeB.stop();
	}

	@Test
	void aReplyPublishedOnOneNodeArrivesOnTheOtherInOrderWithoutGapsOrDuplicates() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "m", ClusterAppTest.NODE_ID);
		// a long reply of small deltas, and one delta far beyond NOTIFY's 8000-byte limit
		StringBuilder text = new StringBuilder();
		awaitListening(reply);
		nodeA.publish(new MessageEvent.Added(reply));
		for (int i = 0; i < 300; i++) {
			publishDelta(reply, text, "tök" + i + "🚀 ");
		}
		publishDelta(reply, text, "日本語🧑‍🚀".repeat(2_000));
		publishDelta(reply, text, "the end.");

		await().atMost(Duration.ofSeconds(10)).until(() -> receivedText().length() == text.length());
		// (late probes may still arrive before it)
		assertThat(receivedOnB.stream().filter(e -> !(e instanceof MessageEvent.PhaseChanged)).findFirst()).get()
			.isInstanceOfSatisfying(MessageEvent.Added.class,
					added -> assertThat(added.message().id()).isEqualTo(reply.id()));
		assertThat(receivedText()).isEqualTo(text.toString());
		assertThat(nodeB.remoteText(reply.id())).contains(text.toString());

		nodeA.publish(new MessageEvent.Finished(pane.id(), reply.id(), MessageStatus.COMPLETE, null, "STOP",
				new Usage(1, 2, 0), Duration.ofSeconds(3), text.length(), 5, Duration.ofMillis(250)));
		await().atMost(Duration.ofSeconds(5)).until(() -> receivedOnB.getLast() instanceof MessageEvent.Finished);
		assertThat((MessageEvent.Finished) receivedOnB.getLast()).satisfies(f -> {
			assertThat(f.status()).isEqualTo(MessageStatus.COMPLETE);
			assertThat(f.finishReason()).isEqualTo("STOP");
			assertThat(f.error()).isNull();
			assertThat(f.length()).isEqualTo(text.length());
			assertThat(f.thinkingLength()).isEqualTo(5);
			assertThat(f.firstToken()).isEqualTo(Duration.ofMillis(250));
		});
		assertThat(nodeB.remoteText(reply.id())).isEmpty();
	}

	@Test
	void aNodeThatJoinsMidReplyTakesTheStartFromStorage() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "m", ClusterAppTest.NODE_ID);
		replyWriter.append(reply.id(), 0, "stored before ");
		awaitListening(reply);

		nodeA.publish(new MessageEvent.Delta(pane.id(), reply.id(), 14, "the node joined"));

		await().atMost(Duration.ofSeconds(5)).until(() -> nodeB.remoteText(reply.id()).isPresent());
		assertThat(nodeB.remoteText(reply.id())).contains("stored before the node joined");
	}

	@Test
	void aStopRequestReachesTheOtherNode() {
		List<MessageId> stopsOnA = new CopyOnWriteArrayList<>();
		MessageBroadcaster.Subscription handler = nodeA.onStopRequest(stopsOnA::add);
		try {
			nodeB.requestStop(new MessageId(4242));

			await().atMost(Duration.ofSeconds(5)).until(() -> stopsOnA.contains(new MessageId(4242)));
		}
		finally {
			handler.close();
		}
	}

	@Autowired
	Conversations conversations;

	@Autowired
	ConversationEvents conversationEvents;

	@Test
	void conversationChangesReachTheSideListsOfTheOtherNodeBothWays() {
		List<String> signalsOnB = new CopyOnWriteArrayList<>();
		MessageBroadcaster.Subscription onB = nodeB.onSignal("conversation", signalsOnB::add);
		List<ConversationEvent> eventsOnA = new CopyOnWriteArrayList<>();
		var onA = conversationEvents.subscribe(alice(), eventsOnA::add);
		try {
			// from node A (the app) to node B: a rename, with a '|' in the title
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				conversations.rename(alice(), pane.id(), "Plans | 2027");
				return !signalsOnB.isEmpty();
			});
			assertThat(signalsOnB.getFirst())
				.isEqualTo(alice().value() + "|" + pane.id().value() + "|RENAMED|1Plans | 2027");

			// from node B to the app's tabs on node A
			eventsOnA.clear();
			nodeB.signal("conversation", alice().value() + "|" + pane.id().value() + "|DELETED|0");
			await().atMost(Duration.ofSeconds(10)).until(() -> !eventsOnA.isEmpty());
			assertThat(eventsOnA.getFirst())
				.isEqualTo(new ConversationEvent(alice(), pane.id(), ConversationEvent.Change.DELETED, null));
		}
		finally {
			onB.close();
			onA.close();
		}
	}

	/**
	 * Not a timed assertion: the hop's latency goes to a file, beside the token-to-screen
	 * figures.
	 */
	@Test
	void theHopBetweenNodesIsMeasured() throws Exception {
		ChatMessage reply = replyWriter.startReply(pane.id(), "m", ClusterAppTest.NODE_ID);
		awaitListening(reply);
		Map<Integer, Long> arrivedAt = new ConcurrentHashMap<>();
		nodeB.subscribe(pane.id(), e -> {
			if (e instanceof MessageEvent.Delta d) {
				arrivedAt.put(d.offset(), System.nanoTime());
			}
		});
		int count = 200;
		Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
		StringBuilder text = new StringBuilder();
		// a model-like pace: one delta every 10 ms
		ScheduledExecutorService model = Executors.newSingleThreadScheduledExecutor();
		try {
			model.scheduleAtFixedRate(() -> {
				if (sentAt.size() < count) {
					sentAt.put(text.length(), System.nanoTime());
					publishDelta(reply, text, "token" + sentAt.size() + " ");
				}
			}, 0, 10, TimeUnit.MILLISECONDS);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> arrivedAt.keySet().containsAll(sentAt.keySet()) && sentAt.size() == count);
		}
		finally {
			model.shutdownNow();
		}
		assertThat(receivedText()).isEqualTo(text.toString());
		List<Double> millis = sentAt.entrySet()
			.stream()
			.map(e -> (Objects.requireNonNull(arrivedAt.get(e.getKey())) - e.getValue()) / 1e6)
			.sorted()
			.toList();
		Path file = Path.of("target", "benchmarks", "notify-hop-latency.txt");
		Files.createDirectories(file.getParent());
		Files.writeString(file,
				("A delta published on one node, delivered to a listener on another through PostgreSQL "
						+ "LISTEN/NOTIFY (%d deltas, 10 ms apart): p50=%.2f ms p99=%.2f ms max=%.2f ms%n")
					.formatted(count, millis.get(count / 2), millis.get(count * 99 / 100), millis.getLast()));
	}

	@Test
	void theOutboxStaysBoundedWhilePostgresTakesNoNotificationsAndTheEndStillArrives() throws Exception {
		CountDownLatch databaseBack = new CountDownLatch(1);
		DataSource stalled = new DelegatingDataSource(dataSource) {
			@Override
			public Connection getConnection() throws SQLException {
				try {
					databaseBack.await();
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				return super.getConnection();
			}
		};
		PostgresMessageBroadcaster nodeC = new PostgresMessageBroadcaster(stalled, messageStore,
				new PostgresMessageBroadcaster.Tuning(100_000, Duration.ofSeconds(5), Duration.ofSeconds(5),
						Duration.ofMinutes(2)));
		List<MessageEvent> receivedOnA = new CopyOnWriteArrayList<>();
		MessageBroadcaster.Subscription onA = nodeA.subscribe(pane.id(), receivedOnA::add);
		nodeC.start();
		try {
			ChatMessage reply = replyWriter.startReply(pane.id(), "m", ClusterAppTest.NODE_ID);
			StringBuilder text = new StringBuilder();
			// a model streaming 600 000 characters while PostgreSQL takes nothing
			for (int i = 0; i < 20_000; i++) {
				String piece = "token %05d of a long answer. ".formatted(i);
				nodeC.publish(new MessageEvent.Delta(pane.id(), reply.id(), text.length(), piece));
				text.append(piece);
			}
			nodeC.publish(new MessageEvent.Finished(pane.id(), reply.id(), MessageStatus.COMPLETE, null, "STOP",
					new Usage(1, 2, 0), Duration.ofSeconds(3), text.length(), 0, Duration.ofMillis(250)));

			assertThat(nodeC.pendingChars()).as("what waits for PostgreSQL is bounded").isLessThanOrEqualTo(200_000);

			databaseBack.countDown();
			// the reply's end is never dropped: the other node's tabs learn it ended (and
			// read the text from storage)
			await().atMost(Duration.ofSeconds(30))
				.until(() -> receivedOnA.stream()
					.anyMatch(e -> e instanceof MessageEvent.Finished f && f.messageId().equals(reply.id())));
		}
		finally {
			databaseBack.countDown();
			onA.close();
			nodeC.stop();
		}
	}

	@Test
	void aHalfOpenListenConnectionIsFoundReplacedAndThePanesHereReload() throws Exception {
		HikariDataSource app = dataSource.unwrap(HikariDataSource.class);
		try (FreezingProxy proxy = new FreezingProxy(app.getJdbcUrl())) {
			SimpleDriverDataSource viaProxy = new SimpleDriverDataSource(new Driver(), proxy.jdbcUrl(),
					app.getUsername(), app.getPassword());
			PostgresMessageBroadcaster nodeC = new PostgresMessageBroadcaster(viaProxy, messageStore,
					new PostgresMessageBroadcaster.Tuning(4_000_000, Duration.ofMillis(500), Duration.ofSeconds(1),
							Duration.ofMinutes(2)));
			List<MessageEvent> receivedOnC = new CopyOnWriteArrayList<>();
			nodeC.subscribe(pane.id(), receivedOnC::add);
			nodeC.start();
			try {
				ChatMessage reply = replyWriter.startReply(pane.id(), "m", ClusterAppTest.NODE_ID);
				awaitHeard(receivedOnC, reply);

				// the peer goes silent without closing anything: packets vanish both ways
				proxy.freezeOpenConnections();
				receivedOnC.clear();

				// a probe already on its way before the freeze may still arrive on the
				// old connection: what proves the replacement is the reload that follows
				// it
				await("the pane here reloads what it missed while deaf").atMost(Duration.ofSeconds(30)).until(() -> {
					nodeA.publish(
							new MessageEvent.PhaseChanged(pane.id(), reply.id(), MessageEvent.Phase.WAITING, "probe"));
					return receivedOnC.stream()
						.anyMatch(e -> e instanceof MessageEvent.PathChanged p && p.paneId().equals(pane.id()));
				});
				awaitHeard(receivedOnC, reply);
			}
			finally {
				nodeC.stop();
			}
		}
	}

	@Test
	void remoteTextsKeepOnlyRepliesWatchedHereAndExpireWhenIdle() {
		PostgresMessageBroadcaster nodeC = new PostgresMessageBroadcaster(dataSource, messageStore,
				new PostgresMessageBroadcaster.Tuning(4_000_000, Duration.ofSeconds(5), Duration.ofSeconds(5),
						Duration.ofSeconds(1)));
		Conversation unwatched = paneStore.create(alice(), "gemini-2.5-flash");
		List<MessageEvent> receivedOnC = new CopyOnWriteArrayList<>();
		nodeC.subscribe(pane.id(), receivedOnC::add);
		nodeC.start();
		try {
			ChatMessage watchedReply = replyWriter.startReply(pane.id(), "m", ClusterAppTest.NODE_ID);
			ChatMessage otherReply = replyWriter.startReply(unwatched.id(), "m", ClusterAppTest.NODE_ID);
			awaitHeard(receivedOnC, watchedReply);

			nodeA.publish(new MessageEvent.Delta(unwatched.id(), otherReply.id(), 0, "nobody on node C shows this"));
			nodeA.publish(new MessageEvent.Delta(pane.id(), watchedReply.id(), 0, "a tab on node C shows this"));

			// notifications of one node arrive in order: once the second is there, the
			// first was handled
			await().atMost(Duration.ofSeconds(10)).until(() -> nodeC.remoteText(watchedReply.id()).isPresent());
			assertThat(nodeC.remoteText(otherReply.id())).as("no copy of a reply nobody here watches").isEmpty();
			assertThat(nodeC.remoteText(watchedReply.id())).contains("a tab on node C shows this");

			// a reply that hears nothing more (its end lost, say) is not kept for ever
			await().atMost(Duration.ofSeconds(15)).until(() -> nodeC.remoteText(watchedReply.id()).isEmpty());
		}
		finally {
			nodeC.stop();
		}
	}

	/** Node C hears node A once a probe published on A arrives on C. */
	private void awaitHeard(List<MessageEvent> received, ChatMessage reply) {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			nodeA.publish(new MessageEvent.PhaseChanged(pane.id(), reply.id(), MessageEvent.Phase.WAITING, "probe"));
			return received.stream().anyMatch(e -> e instanceof MessageEvent.PhaseChanged);
		});
	}

	/**
	 * A TCP proxy in front of PostgreSQL whose open connections can be frozen: bytes stop
	 * flowing both ways but no socket closes, as when a peer or a NAT in between vanishes
	 * (a half-open connection). Connections made after the freeze flow as usual.
	 */
	static final class FreezingProxy implements AutoCloseable {

		private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

		private final String target;

		private final int targetPort;

		private final String database;

		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		private final AtomicInteger generation = new AtomicInteger();

		FreezingProxy(String jdbcUrl) throws IOException {
			Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.*)").matcher(jdbcUrl);
			if (!m.matches()) {
				throw new IllegalArgumentException(jdbcUrl);
			}
			target = m.group(1);
			targetPort = Integer.parseInt(m.group(2));
			database = m.group(3);
			Thread.ofVirtual().start(this::accept);
		}

		String jdbcUrl() {
			return "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/" + database;
		}

		void freezeOpenConnections() {
			generation.incrementAndGet();
		}

		private void accept() {
			try {
				while (true) {
					Socket client = server.accept();
					Socket upstream = new Socket(target, targetPort);
					sockets.add(client);
					sockets.add(upstream);
					int born = generation.get();
					Thread.ofVirtual().start(() -> pump(client, upstream, born));
					Thread.ofVirtual().start(() -> pump(upstream, client, born));
				}
			}
			catch (IOException closed) {
				// the proxy is closed
			}
		}

		private void pump(Socket from, Socket to, int born) {
			byte[] buffer = new byte[8192];
			try {
				int n;
				while ((n = from.getInputStream().read(buffer)) >= 0) {
					if (generation.get() != born) {
						// frozen: swallow everything, answer nothing, close nothing
						continue;
					}
					to.getOutputStream().write(buffer, 0, n);
				}
			}
			catch (IOException closed) {
				// either end went away
			}
		}

		@Override
		public void close() throws IOException {
			server.close();
			for (Socket socket : sockets) {
				socket.close();
			}
		}

	}

	@Test
	void anAnswersWebSourcesReachTheOtherNodeAsStoredHoweverLong() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "m", ClusterAppTest.NODE_ID);
		Grounding grounding = new Grounding(List.of(new Grounding.Source("Köln", "https://koeln.de/", "koeln.de")),
				List.of(new Grounding.Citation(4, List.of(1))), List.of("Köln"),
				"<style>" + "x".repeat(12_000) + "</style>", null);
		awaitListening(reply);
		replyWriter.saveGrounding(reply.id(), grounding);

		nodeA.publish(new MessageEvent.Grounded(pane.id(), reply.id(), grounding));

		await().atMost(Duration.ofSeconds(5))
			.until(() -> receivedOnB.stream().anyMatch(MessageEvent.Grounded.class::isInstance));
		assertThat(receivedOnB).filteredOn(MessageEvent.Grounded.class::isInstance)
			.singleElement()
			.isEqualTo(new MessageEvent.Grounded(pane.id(), reply.id(), grounding));
	}

	/** The second node's LISTEN is up once a probe published on the first arrives. */
	private void awaitListening(ChatMessage reply) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			nodeA.publish(new MessageEvent.PhaseChanged(pane.id(), reply.id(), MessageEvent.Phase.WAITING, "probe"));
			return receivedOnB.removeIf(e -> e instanceof MessageEvent.PhaseChanged);
		});
	}

	private void publishDelta(ChatMessage reply, StringBuilder text, String piece) {
		nodeA.publish(new MessageEvent.Delta(pane.id(), reply.id(), text.length(), piece));
		text.append(piece);
	}

	private String receivedText() {
		StringBuilder text = new StringBuilder();
		for (MessageEvent e : receivedOnB) {
			if (e instanceof MessageEvent.Delta d) {
				assertThat(d.offset()).as("deltas in order, no gap, no duplicate").isEqualTo(text.length());
				text.append(d.text());
			}
		}
		return text.toString();
	}

	private UserId alice() {
		return accounts.find(TestUsers.ALICE).orElseThrow();
	}

}
