package dev.streamchat.broadcast.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Panes;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Pane;
import dev.streamchat.chat.Usage;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.ClusterAppTest;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two nodes' broadcasters over one real PostgreSQL: the app's own, and a second one started here. */
@ClusterAppTest
class PostgresMessageBroadcasterTest {

    @Autowired
    MessageBroadcaster nodeA;
    @Autowired
    DataSource dataSource;
    @Autowired
    Panes paneStore;
    @Autowired
    Messages messageStore;
    @Autowired
    ReplyWriter replyWriter;
    @Autowired
    UserAccounts accounts;

    PostgresMessageBroadcaster nodeB;
    Pane pane;
    List<MessageEvent> receivedOnB = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startSecondNode() {
        nodeB = new PostgresMessageBroadcaster(dataSource, messageStore);
        nodeB.start();
        pane = paneStore.createPane(alice(), "gemini-2.5-flash");
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
        assertThat(receivedOnB.stream().filter(e -> !(e instanceof MessageEvent.PhaseChanged)).findFirst())
                .get().isInstanceOfSatisfying(MessageEvent.Added.class,
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
        } finally {
            handler.close();
        }
    }

    @Autowired
    dev.streamchat.history.Conversations conversations;
    @Autowired
    dev.streamchat.history.ConversationEvents conversationEvents;

    @Test
    void conversationChangesReachTheSideListsOfTheOtherNodeBothWays() {
        List<String> signalsOnB = new CopyOnWriteArrayList<>();
        MessageBroadcaster.Subscription onB = nodeB.onSignal("conversation", signalsOnB::add);
        List<dev.streamchat.history.ConversationEvent> eventsOnA = new CopyOnWriteArrayList<>();
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
            assertThat(eventsOnA.getFirst()).isEqualTo(new dev.streamchat.history.ConversationEvent(alice(), pane.id(),
                    dev.streamchat.history.ConversationEvent.Change.DELETED, null));
        } finally {
            onB.close();
            onA.close();
        }
    }

    /** Not a timed assertion: the hop's latency goes to a file, beside the token-to-screen figures. */
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
            await().atMost(Duration.ofSeconds(20)).until(() -> arrivedAt.keySet().containsAll(sentAt.keySet())
                    && sentAt.size() == count);
        } finally {
            model.shutdownNow();
        }
        assertThat(receivedText()).isEqualTo(text.toString());
        List<Double> millis = sentAt.entrySet().stream()
                .map(e -> (arrivedAt.get(e.getKey()) - e.getValue()) / 1e6).sorted().toList();
        Path file = Path.of("target", "benchmarks", "notify-hop-latency.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, ("A delta published on one node, delivered to a listener on another through PostgreSQL "
                + "LISTEN/NOTIFY (%d deltas, 10 ms apart): p50=%.2f ms p99=%.2f ms max=%.2f ms%n").formatted(count,
                millis.get(count / 2), millis.get(count * 99 / 100), millis.getLast()));
    }

    @Test
    void anAnswersWebSourcesReachTheOtherNodeAsStoredHoweverLong() {
        ChatMessage reply = replyWriter.startReply(pane.id(), "m", ClusterAppTest.NODE_ID);
        dev.streamchat.chat.Grounding grounding = new dev.streamchat.chat.Grounding(
                List.of(new dev.streamchat.chat.Grounding.Source("Köln", "https://koeln.de/", "koeln.de")),
                List.of(new dev.streamchat.chat.Grounding.Citation(4, List.of(1))), List.of("Köln"),
                "<style>" + "x".repeat(12_000) + "</style>", null);
        awaitListening(reply);
        replyWriter.saveGrounding(reply.id(), grounding);

        nodeA.publish(new MessageEvent.Grounded(pane.id(), reply.id(), grounding));

        await().atMost(Duration.ofSeconds(5)).until(() -> receivedOnB.stream().anyMatch(MessageEvent.Grounded.class::isInstance));
        assertThat(receivedOnB).filteredOn(MessageEvent.Grounded.class::isInstance).singleElement()
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
