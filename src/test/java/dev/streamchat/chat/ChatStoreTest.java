package dev.streamchat.chat;


import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import dev.streamchat.security.UserId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DataJdbcTest
@Import({ChatStore.class, NodeRegistry.class, SimpleMeterRegistry.class})
class ChatStoreTest {

    @Autowired
    ChatStore store;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    NodeRegistry nodes;

    UserId owner;
    Pane pane;

    @BeforeEach
    void createPane() {
        owner = user("owner");
        pane = store.createPane(owner, "gemini-2.5-flash");
    }

    UserId user(String name) {
        jdbc.sql("insert into app_user (username, password_hash, created_at) values (?, 'x', current_timestamp)")
                .param(name).update();
        return new UserId(jdbc.sql("select id from app_user where username = ?").param(name).query(Long.class).single());
    }

    @ParameterizedTest(name = "batches of {0} chars")
    @ValueSource(ints = {1, 7, 100, 10_000})
    void appendedBatchesReadBackAsTheirConcatenation(int batchSize) {
        ChatMessage reply = store.startReply(pane.id(), "gemini-2.5-flash");
        String text = sampleText(batchSize * 25 + 3);

        appendInBatches(reply.id(), text, batchSize);

        assertThat(store.storedText(reply.id())).isEqualTo(text);
        assertThat(store.history(pane.id())).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo(text))
                .satisfies(m -> assertThat(m.isStreaming()).isTrue());
    }

    @Test
    void a200kCharacterAnswerSurvivesAppendAndFinish() {
        ChatMessage reply = store.startReply(pane.id(), "gemini-2.5-flash");
        String text = sampleText(200_000);

        appendInBatches(reply.id(), text, 97);
        assertThat(store.storedText(reply.id())).isEqualTo(text);

        assertThat(store.finish(reply.id(), text, new Outcome(MessageStatus.COMPLETE, null, "STOP", new Usage(5, 50_000, 0))))
                .isTrue();
        ChatMessage stored = store.message(reply.id()).orElseThrow();
        assertThat(stored.text()).isEqualTo(text);
        assertThat(stored.status()).isEqualTo(MessageStatus.COMPLETE);
        assertThat(stored.usage().outputTokens()).isEqualTo(50_000);
    }

    @Test
    void multiByteAndEmojiTextSurvivesWithBatchesCutRightBesidePairs() {
        ChatMessage reply = store.startReply(pane.id(), "m");
        String text = "Grüße 👋🏽 — 日本語のテキスト, emoji 🧑‍🚀🚀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓";
        int cut = text.indexOf("👋") + 2; // right after the pair, before its skin-tone modifier (another pair)
        store.append(reply.id(), 0, text.substring(0, cut));
        store.append(reply.id(), cut, text.substring(cut));

        assertThat(store.storedText(reply.id())).isEqualTo(text);
        store.finish(reply.id(), text, new Outcome(MessageStatus.COMPLETE, null, null, null));
        assertThat(store.message(reply.id()).orElseThrow().text()).isEqualTo(text);
    }

    @Test
    void aBatchEndingOrBeginningInsideASurrogatePairIsRefusedOnEveryDatabase() {
        ChatMessage reply = store.startReply(pane.id(), "m");
        String text = "up 🚀 away";
        int inside = text.indexOf("🚀") + 1;

        assertThatThrownBy(() -> store.append(reply.id(), 0, text.substring(0, inside)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.append(reply.id(), inside, text.substring(inside)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.storedText(reply.id())).isEmpty();
    }

    @Test
    void aBatchStoredTwiceAtTheSameOffsetIsKeptOnce() {
        ChatMessage reply = store.startReply(pane.id(), "m");
        store.append(reply.id(), 0, "Hello ");
        store.append(reply.id(), 6, "world");
        store.append(reply.id(), 6, "world"); // the retry of a batch whose acknowledgement was lost

        assertThat(store.storedText(reply.id())).isEqualTo("Hello world");
    }

    @Test
    void aReplyEndsOnceAndKeepsItsFirstOutcome() {
        ChatMessage reply = store.startReply(pane.id(), "m");
        store.append(reply.id(), 0, "partial");

        assertThat(store.finish(reply.id(), "partial", new Outcome(MessageStatus.FAILED, "boom", null, null))).isTrue();
        assertThat(store.finish(reply.id(), "partial and more", new Outcome(MessageStatus.COMPLETE, null, null, null)))
                .isFalse();

        ChatMessage stored = store.message(reply.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(stored.error()).isEqualTo("boom");
        assertThat(stored.text()).isEqualTo("partial");
    }

    @Test
    void orphanedStreamingRepliesAreInterruptedWithTheirStoredText() {
        ChatMessage orphan = store.startReply(pane.id(), "m");
        store.append(orphan.id(), 0, "half an ");
        store.append(orphan.id(), 8, "answer");
        ChatMessage done = store.startReply(pane.id(), "m");
        store.finish(done.id(), "finished", new Outcome(MessageStatus.COMPLETE, null, "STOP", null));

        assertThat(store.interruptOrphans("restarted")).containsExactly(orphan.id());

        ChatMessage interrupted = store.message(orphan.id()).orElseThrow();
        assertThat(interrupted.status()).isEqualTo(MessageStatus.INTERRUPTED);
        assertThat(interrupted.text()).isEqualTo("half an answer");
        assertThat(interrupted.error()).isEqualTo("restarted");
        assertThat(store.message(done.id()).orElseThrow().status()).isEqualTo(MessageStatus.COMPLETE);
    }

    @Test
    void onlyTheRepliesOfDeadOrUnknownNodesAreInterruptedNeverThoseOfLiveNodesOrThisOne() {
        nodes.heartbeat("live-node");
        jdbc.sql("insert into node (id, heartbeat_at) values ('dead-node', ?)")
                .param(java.time.OffsetDateTime.now().minusHours(1)).update();
        ChatMessage onLive = store.startReply(pane.id(), "m", "live-node");
        ChatMessage onSelf = store.startReply(store.createPane(owner, "m").id(), "m", "this-node");
        ChatMessage onDead = store.startReply(store.createPane(owner, "m").id(), "m", "dead-node");
        store.append(onDead.id(), 0, "cut ");
        store.append(onDead.id(), 4, "short");
        ChatMessage onNoNode = store.startReply(store.createPane(owner, "m").id(), "m", null);

        assertThat(store.interruptRepliesNotOn("this-node", java.time.Duration.ofSeconds(10), "node died"))
                .extracting(ChatMessage::id).containsExactlyInAnyOrder(onDead.id(), onNoNode.id());

        assertThat(store.message(onDead.id()).orElseThrow()).satisfies(m -> {
            assertThat(m.status()).isEqualTo(MessageStatus.INTERRUPTED);
            assertThat(m.text()).isEqualTo("cut short");
            assertThat(m.error()).isEqualTo("node died");
        });
        assertThat(store.message(onLive.id()).orElseThrow().isStreaming()).isTrue();
        assertThat(store.message(onSelf.id()).orElseThrow().isStreaming()).isTrue();
        assertThat(nodes.forgetExpired("this-node", java.time.Duration.ofSeconds(10))).as("the dead node's lease row").isEqualTo(1);
    }

    @Test
    void anotherUsersIdsFindNothing() {
        UserId stranger = user("stranger");
        ChatMessage reply = store.startReply(pane.id(), "m");
        store.append(reply.id(), 0, "private");

        assertThat(store.pane(stranger, pane.id())).isEmpty();
        assertThat(store.history(stranger, pane.id())).isEmpty();
        assertThat(store.message(stranger, reply.id())).isEmpty();
        assertThat(store.openPanes(stranger)).isEmpty();
        store.closePane(stranger, pane.id());
        store.changeModel(stranger, pane.id(), "other");

        assertThat(store.pane(owner, pane.id())).get().extracting(Pane::model).isEqualTo("gemini-2.5-flash");
        assertThat(store.message(owner, reply.id())).get().extracting(ChatMessage::text).isEqualTo("private");
    }

    @Test
    void historyKeepsTheOrderOfThePaneAndNothingOfOtherPanes() {
        Pane other = store.createPane(owner, "m");
        store.addUserMessage(pane.id(), "first");
        store.addUserMessage(other.id(), "elsewhere");
        store.addUserMessage(pane.id(), "second");

        assertThat(store.history(pane.id())).extracting(ChatMessage::text).containsExactly("first", "second");
    }

    /** Batches of about {@code batchSize}, never cutting a surrogate pair (as the batcher does). */
    private void appendInBatches(MessageId reply, String text, int batchSize) {
        int offset = 0;
        while (offset < text.length()) {
            int end = Math.min(text.length(), offset + batchSize);
            if (Character.isHighSurrogate(text.charAt(end - 1)) && end < text.length()) {
                end++;
            }
            store.append(reply, offset, text.substring(offset, end));
            offset = end;
        }
    }

    /** Text with markdown, non-ASCII and emoji, deterministic for a length. */
    static String sampleText(int length) {
        String[] words = {"stream ", "ünïcödé ", "🚀 ", "**bold** ", "`code` ", "日本 ", "\n\n", "- item\n", "é"};
        StringBuilder text = new StringBuilder(length + 16);
        for (int i = 0; text.length() < length; i++) {
            text.append(words[i % words.length]);
        }
        text.setLength(length);
        if (Character.isHighSurrogate(text.charAt(length - 1))) {
            text.setCharAt(length - 1, '.');
        }
        return text.toString();
    }

}
