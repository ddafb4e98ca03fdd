package dev.streamchat.chat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import dev.streamchat.chat.ToolPart.ToolStatus;
import dev.streamchat.chat.internal.AttachmentRepository;
import dev.streamchat.chat.internal.MessageMapper;
import dev.streamchat.chat.internal.MessageTree;
import dev.streamchat.chat.internal.PartRepository;
import dev.streamchat.security.UserId;
import dev.streamchat.sharing.SharedLinks;
import dev.streamchat.sharing.internal.ShareStore;
import dev.streamchat.streaming.internal.NodeRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.Assertions;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.test.autoconfigure.json.AutoConfigureJson;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DataJdbcTest
@AutoConfigureJson
// the same list as SharedLinksTest's, so the two share one context
@Import({ ConversationStore.class, Messages.class, ReplyWriter.class, OrphanedReplies.class, MessageMapper.class,
		NodeRegistry.class, PartRepository.class, MessageTree.class, AttachmentRepository.class, AttachmentStore.class,
		SimpleMeterRegistry.class, SharedLinks.class, ShareStore.class })
class ChatStorageTest {

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	ReplyWriter replyWriter;

	@Autowired
	OrphanedReplies orphaned;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	NodeRegistry nodes;

	UserId owner;

	Conversation pane;

	@BeforeEach
	void createPane() {
		owner = user("owner");
		pane = paneStore.create(owner, "gemini-2.5-flash");
	}

	UserId user(String name) {
		jdbc.sql("insert into app_user (username, password_hash, created_at) values (?, 'x', current_timestamp)")
			.param(name)
			.update();
		return new UserId(
				jdbc.sql("select id from app_user where username = ?").param(name).query(Long.class).single());
	}

	@ParameterizedTest(name = "batches of {0} chars")
	@ValueSource(ints = { 1, 7, 100, 10_000 })
	void appendedBatchesReadBackAsTheirConcatenation(int batchSize) {
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
		String text = sampleText(batchSize * 25 + 3);

		appendInBatches(reply.id(), text, batchSize);

		assertThat(messageStore.storedText(reply.id())).isEqualTo(text);
		assertThat(messageStore.history(owner, pane.id())).singleElement()
			.satisfies(m -> assertThat(m.text()).isEqualTo(text))
			.satisfies(m -> assertThat(m.isStreaming()).isTrue());
	}

	@Test
	void a200kCharacterAnswerSurvivesAppendAndFinish() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
		String text = sampleText(200_000);

		appendInBatches(reply.id(), text, 97);
		assertThat(messageStore.storedText(reply.id())).isEqualTo(text);

		assertThat(replyWriter.finish(reply.id(), text,
				new Outcome(MessageStatus.COMPLETE, null, "STOP", new Usage(5, 50_000, 0))))
			.isTrue();
		ChatMessage stored = messageStore.stored(reply.id()).orElseThrow();
		assertThat(stored.text()).isEqualTo(text);
		assertThat(stored.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(stored.usage().outputTokens()).isEqualTo(50_000);
	}

	@Test
	void multiByteAndEmojiTextSurvivesWithBatchesCutRightBesidePairs() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "m");
		String text = "Grüße 👋🏽 — 日本語のテキスト, emoji 🧑‍🚀🚀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓";
		// right after the pair, before its skin-tone modifier (another pair)
		int cut = text.indexOf("👋") + 2;
		replyWriter.append(reply.id(), 0, text.substring(0, cut));
		replyWriter.append(reply.id(), cut, text.substring(cut));

		assertThat(messageStore.storedText(reply.id())).isEqualTo(text);
		replyWriter.finish(reply.id(), text, new Outcome(MessageStatus.COMPLETE, null, null, Usage.NONE));
		assertThat(messageStore.stored(reply.id()).orElseThrow().text()).isEqualTo(text);
	}

	@Test
	void aBatchEndingOrBeginningInsideASurrogatePairIsRefusedOnEveryDatabase() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "m");
		String text = "up 🚀 away";
		int inside = text.indexOf("🚀") + 1;

		assertThatThrownBy(() -> replyWriter.append(reply.id(), 0, text.substring(0, inside)))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> replyWriter.append(reply.id(), inside, text.substring(inside)))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(messageStore.storedText(reply.id())).isEmpty();
	}

	@Test
	void aBatchStoredTwiceAtTheSameOffsetIsKeptOnce() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "m");
		replyWriter.append(reply.id(), 0, "Hello ");
		replyWriter.append(reply.id(), 6, "world");
		// the retry of a batch whose acknowledgement was lost
		replyWriter.append(reply.id(), 6, "world");

		assertThat(messageStore.storedText(reply.id())).isEqualTo("Hello world");
	}

	@Test
	void aReplyEndsOnceAndKeepsItsFirstOutcome() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "m");
		replyWriter.append(reply.id(), 0, "partial");

		assertThat(
				replyWriter.finish(reply.id(), "partial", new Outcome(MessageStatus.FAILED, "boom", null, Usage.NONE)))
			.isTrue();
		assertThat(replyWriter.finish(reply.id(), "partial and more",
				new Outcome(MessageStatus.COMPLETE, null, null, Usage.NONE)))
			.isFalse();

		ChatMessage stored = messageStore.stored(reply.id()).orElseThrow();
		assertThat(stored.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(stored.error()).isEqualTo("boom");
		assertThat(stored.text()).isEqualTo("partial");
	}

	@Test
	void theDatabaseRefusesASecondStreamingReplyInOnePaneWhicheverNodeStartsIt() {
		replyWriter.startReply(pane.id(), "m", "node-a");

		// what a second node would do after its own look found the pane idle (the race
		// the look cannot close)
		assertThatThrownBy(() -> replyWriter.startReply(pane.id(), "m", "node-b"))
			.isInstanceOf(ReplyStreamingException.class);
		// (on PostgreSQL the refused insert ends the test's transaction: nothing more can
		// be read in it)
	}

	@Test
	void onceTheReplyHasEndedThePaneTakesTheNextOne() {
		ChatMessage first = replyWriter.startReply(pane.id(), "m", "node-a");
		replyWriter.finish(first.id(), "done", new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));

		ChatMessage next = replyWriter.startReply(pane.id(), "m", "node-b");

		assertThat(next.isStreaming()).isTrue();
	}

	@Test
	void orphanedStreamingRepliesAreInterruptedWithTheirStoredText() {
		ChatMessage orphan = replyWriter.startReply(pane.id(), "m");
		replyWriter.append(orphan.id(), 0, "half an ");
		replyWriter.append(orphan.id(), 8, "answer");
		ChatMessage done = replyWriter.startReply(paneStore.create(owner, "m").id(), "m");
		replyWriter.finish(done.id(), "finished", new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));

		assertThat(orphaned.interruptOrphans("restarted")).containsExactly(orphan.id());

		ChatMessage interrupted = messageStore.stored(orphan.id()).orElseThrow();
		assertThat(interrupted.status()).isEqualTo(MessageStatus.INTERRUPTED);
		assertThat(interrupted.text()).isEqualTo("half an answer");
		assertThat(interrupted.error()).isEqualTo("restarted");
		assertThat(messageStore.stored(done.id()).orElseThrow().status()).isEqualTo(MessageStatus.COMPLETE);
	}

	@Test
	void onlyTheRepliesOfDeadOrUnknownNodesAreInterruptedNeverThoseOfLiveNodesOrThisOne() {
		nodes.heartbeat("live-node");
		jdbc.sql("insert into node (id, heartbeat_at) values ('dead-node', ?)")
			.param(OffsetDateTime.now().minusHours(1))
			.update();
		ChatMessage onLive = replyWriter.startReply(pane.id(), "m", "live-node");
		ChatMessage onSelf = replyWriter.startReply(paneStore.create(owner, "m").id(), "m", "this-node");
		ChatMessage onDead = replyWriter.startReply(paneStore.create(owner, "m").id(), "m", "dead-node");
		replyWriter.append(onDead.id(), 0, "cut ");
		replyWriter.append(onDead.id(), 4, "short");
		ChatMessage onNoNode = replyWriter.startReply(paneStore.create(owner, "m").id(), "m", null);

		assertThat(orphaned.interruptRepliesNotOn("this-node", nodes.databaseNow().minusSeconds(10), "node died"))
			.extracting(ChatMessage::id)
			.containsExactlyInAnyOrder(onDead.id(), onNoNode.id());

		assertThat(messageStore.stored(onDead.id()).orElseThrow()).satisfies(m -> {
			assertThat(m.status()).isEqualTo(MessageStatus.INTERRUPTED);
			assertThat(m.text()).isEqualTo("cut short");
			assertThat(m.error()).isEqualTo("node died");
		});
		assertThat(messageStore.stored(onLive.id()).orElseThrow().isStreaming()).isTrue();
		assertThat(messageStore.stored(onSelf.id()).orElseThrow().isStreaming()).isTrue();
		assertThat(nodes.forgetExpired("this-node", Duration.ofSeconds(10))).as("the dead node's lease row")
			.isEqualTo(1);
	}

	@Test
	void anotherUsersIdsFindNothing() {
		UserId stranger = user("stranger");
		ChatMessage reply = replyWriter.startReply(pane.id(), "m");
		replyWriter.append(reply.id(), 0, "private");

		assertThat(paneStore.openConversation(stranger, pane.id())).isEmpty();
		assertThat(messageStore.history(stranger, pane.id())).isEmpty();
		assertThat(messageStore.message(stranger, reply.id())).isEmpty();
		assertThat(paneStore.openConversations(stranger)).isEmpty();
		paneStore.close(stranger, pane.id());
		paneStore.changeModel(stranger, pane.id(), "other");

		assertThat(paneStore.openConversation(owner, pane.id())).get()
			.extracting(Conversation::model)
			.isEqualTo("gemini-2.5-flash");
		assertThat(messageStore.message(owner, reply.id())).get().extracting(ChatMessage::text).isEqualTo("private");
	}

	@Test
	void aStrangerGetsNothingFromThePathTheVersionsOrTheTitleOfAConversation() {
		UserId stranger = user("stranger");
		ChatMessage q1 = messageStore.addUserMessage(owner, pane.id(), "first");
		ChatMessage a1 = replyWriter.startReply(pane.id(), "m");
		replyWriter.finish(a1.id(), "one", new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
		ChatMessage a1b = replyWriter.startAnswerVersion(q1, "m", null);
		replyWriter.finish(a1b.id(), "one again", new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
		List<ChatMessage> shown = messageStore.currentPath(owner, pane.id());
		assertThat(shown).extracting(ChatMessage::text).containsExactly("first", "one again");
		assertThat(messageStore.versions(owner, pane.id(), shown)).containsKey(a1b.id());

		assertThat(messageStore.currentPath(stranger, pane.id())).isEmpty();
		assertThat(messageStore.versions(stranger, pane.id(), shown)).isEmpty();
		assertThat(paneStore.titleIfUntitled(stranger, pane.id(), "Renamed by a stranger")).isFalse();

		assertThat(paneStore.openConversation(owner, pane.id()).orElseThrow().title())
			.isNotEqualTo("Renamed by a stranger");
		assertThat(paneStore.titleIfUntitled(owner, pane.id(), "Otters")).isTrue();
		assertThat(paneStore.openConversation(owner, pane.id()).orElseThrow().title()).isEqualTo("Otters");
	}

	@Test
	void aStrangerCannotAddToAConversationNorSeeThatItStreams() {
		UserId stranger = user("stranger");
		messageStore.addUserMessage(owner, pane.id(), "question");
		replyWriter.startReply(pane.id(), "m");

		assertThat(messageStore.hasStreamingReply(owner, pane.id())).isTrue();
		assertThat(messageStore.hasStreamingReply(stranger, pane.id())).isFalse();
		assertThatThrownBy(() -> messageStore.addUserMessage(stranger, pane.id(), "planted"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(messageStore.history(owner, pane.id())).extracting(ChatMessage::text)
			.containsExactly("question", "");
	}

	@Test
	void historyKeepsTheOrderOfThePaneAndNothingOfOtherPanes() {
		Conversation other = paneStore.create(owner, "m");
		messageStore.addUserMessage(pane.owner(), pane.id(), "first");
		messageStore.addUserMessage(other.owner(), other.id(), "elsewhere");
		messageStore.addUserMessage(pane.owner(), pane.id(), "second");

		assertThat(messageStore.history(owner, pane.id())).extracting(ChatMessage::text)
			.containsExactly("first", "second");
	}

	@Test
	void batchesStoredAsTextBeforeBatchesWerePackedReadBackWithTheLaterOnes() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
		String text = sampleText(9_000);
		// a row as written before issue 15 packed batches: text, packed null
		jdbc.sql("insert into message_chunk (message_id, start_pos, content) values (?, 0, ?)")
			.param(reply.id().value())
			.param(text.substring(0, 4_000))
			.update();

		replyWriter.append(reply.id(), 4_000, text.substring(4_000, 8_000));
		replyWriter.append(reply.id(), 8_000, text.substring(8_000));

		assertThat(messageStore.storedText(reply.id())).isEqualTo(text);
	}

	/** Bytes of the packed batch at {@code offset} (0: stored as text). */
	int packedBytesAt(MessageId reply, int offset) {
		return jdbc
			.sql("select coalesce(octet_length(packed), 0) from message_chunk where message_id = ? and start_pos = ?")
			.param(reply.value())
			.param(offset)
			.query(Integer.class)
			.single();
	}

	/**
	 * Batches of about {@code batchSize}, never cutting a surrogate pair (as the batcher
	 * does).
	 */
	private void appendInBatches(MessageId reply, String text, int batchSize) {
		int offset = 0;
		while (offset < text.length()) {
			int end = Math.min(text.length(), offset + batchSize);
			if (Character.isHighSurrogate(text.charAt(end - 1)) && end < text.length()) {
				end++;
			}
			replyWriter.append(reply, offset, text.substring(offset, end));
			offset = end;
		}
	}

	/** Text with markdown, non-ASCII and emoji, deterministic for a length. */
	static String sampleText(int length) {
		String[] words = { "stream ", "ünïcödé ", "🚀 ", "**bold** ", "`code` ", "日本 ", "\n\n", "- item\n", "é" };
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

	@Test
	void toolCallsAreStoredAsOrderedPartsApartFromTheTextAndThinking() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
		replyWriter.appendThought(reply.id(), 0, "**Plan** use ");
		replyWriter.appendThought(reply.id(), 13, "the clock");
		replyWriter.append(reply.id(), 0, "Checking. ");
		ToolPart first = new ToolPart(0, 10, "current_time", "{\"time_zone\":\"UTC\"}", ToolStatus.RUNNING, null, null);
		replyWriter.savePart(reply.id(), first);

		// mid-stream, a reader sees the thinking, the text and the running call
		ChatMessage midway = messageStore.stored(reply.id()).orElseThrow();
		assertThat(midway.thinking()).isEqualTo("**Plan** use the clock");
		assertThat(midway.text()).isEqualTo("Checking. ");
		assertThat(midway.parts()).containsExactly(first);

		ToolPart second = new ToolPart(1, 10, "calculate", "{\"expression\":\"1/0\"}", ToolStatus.RUNNING, null, null);
		replyWriter.savePart(reply.id(), second);
		replyWriter.savePart(reply.id(), first.done("{\"date_time\":\"2026-01-01 00:00:00\"}"));
		replyWriter.finish(reply.id(), "Checking. It is midnight.", "**Plan** use the clock",
				List.of(first.done("{\"date_time\":\"2026-01-01 00:00:00\"}"), second.failed("division by zero")),
				new Outcome(MessageStatus.COMPLETE, null, "STOP", new Usage(20, 30, 40), Duration.ofMillis(420)));

		ChatMessage done = messageStore.history(owner, pane.id()).getFirst();
		assertThat(done.text()).isEqualTo("Checking. It is midnight.");
		assertThat(done.thinking()).isEqualTo("**Plan** use the clock");
		assertThat(done.parts()).extracting(ToolPart::seq, ToolPart::name, ToolPart::status, ToolPart::anchor)
			.containsExactly(Tuple.tuple(0, "current_time", ToolStatus.DONE, 10),
					Tuple.tuple(1, "calculate", ToolStatus.FAILED, 10));
		assertThat(done.parts().get(0).resultJson()).contains("2026-01-01");
		assertThat(done.parts().get(1).error()).isEqualTo("division by zero");
		assertThat(done.usage()).isEqualTo(new Usage(20, 30, 40));
		assertThat(done.firstToken()).isEqualTo(Duration.ofMillis(420));
	}

	@Test
	void aToolRunningWhenTheServerStoppedIsFailedWithTheInterruptedReply() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
		replyWriter.appendThought(reply.id(), 0, "thinking…");
		replyWriter.savePart(reply.id(), new ToolPart(0, 0, "calculate", "{}", ToolStatus.RUNNING, null, null));

		orphaned.interruptOrphans("restarted");

		ChatMessage after = messageStore.stored(reply.id()).orElseThrow();
		assertThat(after.status()).isEqualTo(MessageStatus.INTERRUPTED);
		assertThat(after.thinking()).isEqualTo("thinking…");
		assertThat(after.parts().getFirst().status()).isEqualTo(ToolStatus.FAILED);
		assertThat(after.parts().getFirst().error()).contains("restart");
	}

	@Test
	void searchFindsTheUsersMessagesInOtherConversationsCaseInsensitivelyAndTakesWildcardsLiterally() {
		Conversation other = paneStore.create(owner, "gemini-2.5-flash");
		messageStore.addUserMessage(other.owner(), other.id(), "My cat is called Mittens and likes 100% tuna");
		messageStore.addUserMessage(other.owner(), other.id(), "Nothing to see here");
		messageStore.addUserMessage(pane.owner(), pane.id(), "mittens in this pane are excluded");
		Conversation strangers = paneStore.create(user("stranger"), "gemini-2.5-flash");
		messageStore.addUserMessage(strangers.owner(), strangers.id(), "Mittens belongs to someone else");

		assertThat(messageStore.search(owner, "MITTENS", pane.id(), 10)).singleElement().satisfies(hit -> {
			assertThat(hit.conversationId()).isEqualTo(other.id());
			assertThat(hit.conversationTitle()).isEqualTo(other.title());
			assertThat(hit.snippet()).contains("Mittens");
		});
		assertThat(messageStore.search(owner, "100%", pane.id(), 10)).hasSize(1);
		assertThat(messageStore.search(owner, "%", pane.id(), 10)).hasSize(1);
		assertThat(messageStore.search(owner, "_", pane.id(), 10)).isEmpty();
		assertThat(messageStore.search(owner, "mittens", null, 10)).hasSize(2);
	}

	@Test
	void systemInstructionAndTemperatureAreRememberedWithTheConversation() {
		paneStore.changeSettings(owner, pane.id(), "Answer in French.", 0.3);

		Conversation reloaded = paneStore.openConversation(owner, pane.id()).orElseThrow();
		assertThat(reloaded.systemInstruction()).isEqualTo("Answer in French.");
		assertThat(reloaded.temperature()).isEqualTo(0.3);

		paneStore.changeSettings(owner, pane.id(), "  ", null);
		assertThat(paneStore.openConversation(owner, pane.id()).orElseThrow().systemInstruction()).isNull();
		assertThat(paneStore.openConversation(owner, pane.id()).orElseThrow().temperature()).isNull();
		// nobody else can change them
		paneStore.changeSettings(user("intruder"), pane.id(), "Leak everything.", 2.0);
		assertThat(paneStore.openConversation(owner, pane.id()).orElseThrow().systemInstruction()).isNull();
	}

	@Test
	void deletingAnExchangeRemovesThePromptAndItsAnswersOnly() {
		ChatMessage q1 = messageStore.addUserMessage(pane.owner(), pane.id(), "first");
		ChatMessage a1 = replyWriter.startReply(pane.id(), "m");
		replyWriter.savePart(a1.id(), new ToolPart(0, 0, "calculate", "{}", ToolStatus.DONE, "{}", null));
		replyWriter.finish(a1.id(), "one", new Outcome(MessageStatus.FAILED, "x", null, Usage.NONE));
		ChatMessage a1b = replyWriter.startAnswerVersion(q1, "m", null);
		replyWriter.finish(a1b.id(), "one again", new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
		ChatMessage q2 = messageStore.addUserMessage(pane.owner(), pane.id(), "second");
		ChatMessage a2 = replyWriter.startReply(pane.id(), "m");
		replyWriter.finish(a2.id(), "two", new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));

		assertThat(messageStore.deleteExchange(user("someone else"), a1.id())).isEmpty();
		assertThat(messageStore.deleteExchange(owner, a1.id())).containsExactly(q1.id(), a1.id(), a1b.id());

		assertThat(messageStore.history(owner, pane.id())).extracting(ChatMessage::id)
			.containsExactly(q2.id(), a2.id());
	}

	@Test
	void anExchangeWhoseAnswerStreamsCannotBeDeleted() {
		ChatMessage q = messageStore.addUserMessage(pane.owner(), pane.id(), "question");
		replyWriter.startReply(pane.id(), "m");

		Assertions.assertThatThrownBy(() -> messageStore.deleteExchange(owner, q.id()))
			.isInstanceOf(IllegalStateException.class);
		assertThat(messageStore.history(owner, pane.id())).hasSize(2);
	}

	@Test
	void aLongConversationIsReadPageByPageFromTheLatest() {
		List<MessageId> ids = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			ids.add(messageStore.addUserMessage(pane.owner(), pane.id(), "message " + i).id());
		}

		List<ChatMessage> latest = messageStore.page(owner, pane.id(), null, 10);
		assertThat(latest).extracting(ChatMessage::id).containsExactlyElementsOf(ids.subList(15, 25));
		List<ChatMessage> before = messageStore.page(owner, pane.id(), latest.getFirst().id(), 10);
		assertThat(before).extracting(ChatMessage::id).containsExactlyElementsOf(ids.subList(5, 15));
		assertThat(messageStore.page(owner, pane.id(), ids.get(5), 10)).extracting(ChatMessage::id)
			.containsExactlyElementsOf(ids.subList(0, 5));
		assertThat(messageStore.page(user("nosy"), pane.id(), null, 10)).isEmpty();
	}

	// ---- taking up the replies of a node that went away (issue 16)

	@Test
	void anOrphanedReplyIsClaimedByExactlyOneNodeWhichRecordsTheSeamAndAloneMayEndIt() {
		nodes.heartbeat("lost-node");
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash", "lost-node");
		replyWriter.append(reply.id(), 0, "half an ");
		replyWriter.append(reply.id(), 8, "answer");
		// every lease older than a second from now counts as run out
		Instant liveSince = nodes.databaseNow().plusSeconds(1);

		List<OrphanedReplies.Orphan> seenByB = orphaned.orphansNotOn("node-b", liveSince);
		List<OrphanedReplies.Orphan> seenByC = orphaned.orphansNotOn("node-c", liveSince);
		assertThat(seenByB).singleElement().satisfies(o -> {
			assertThat(o.reply()).isEqualTo(reply.id());
			assertThat(o.owner()).isEqualTo(owner);
			assertThat(o.node()).isEqualTo("lost-node");
			assertThat(o.seams()).isZero();
		});

		var byB = orphaned.claim(seenByB.getFirst(), "node-b");
		var byC = orphaned.claim(seenByC.getFirst(), "node-c");

		assertThat(byB).as("the first claim wins").hasValueSatisfying(m -> {
			assertThat(m.text()).isEqualTo("half an answer");
			assertThat(m.seams()).containsExactly(14);
			assertThat(m.isStreaming()).isTrue();
		});
		assertThat(byC).as("a second node that saw the same orphan gets nothing").isEmpty();
		nodes.heartbeat("node-b");
		assertThat(orphaned.orphansNotOn("node-c", nodes.databaseNow().minusSeconds(10)))
			.as("node-b is alive: its reply is nobody's orphan")
			.isEmpty();
		Outcome complete = new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE);
		assertThat(replyWriter.finish(reply.id(), "lost-node", "half an answer, late", "", List.of(), complete))
			.as("the lost node, back, may not end it")
			.isFalse();
		assertThat(replyWriter.finish(reply.id(), "node-b", "half an answer, and the rest", "", List.of(), complete))
			.isTrue();
		assertThat(messageStore.stored(reply.id()).orElseThrow()).satisfies(m -> {
			assertThat(m.text()).isEqualTo("half an answer, and the rest");
			assertThat(m.seams()).containsExactly(14);
		});
	}

	@Test
	void aNodeWhoseReplyWasClaimedMayAppendNoMoreOfItsTextOrThinking() {
		nodes.heartbeat("paused-node");
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash", "paused-node");
		assertThat(replyWriter.append(reply.id(), "paused-node", 0, "half an ")).isTrue();
		assertThat(replyWriter.appendThought(reply.id(), "paused-node", 0, "hmm")).isTrue();
		assertThat(replyWriter.append(reply.id(), "someone-else", 8, "intruder")).as("not its reply").isFalse();
		ChatMessage taken = orphaned.claim(new OrphanedReplies.Orphan(reply.id(), owner, "paused-node", 0), "node-b")
			.orElseThrow();
		assertThat(taken.seams()).containsExactly(8);

		// the paused node wakes up and stores what it had: at the very offset where
		// node-b goes on
		assertThat(replyWriter.append(reply.id(), "paused-node", 8, "stale text")).isFalse();
		assertThat(replyWriter.appendThought(reply.id(), "paused-node", 3, " stale")).isFalse();
		assertThat(replyWriter.append(reply.id(), "node-b", 8, "answer")).isTrue();
		assertThat(replyWriter.appendThought(reply.id(), "node-b", 3, ", yes")).isTrue();

		assertThat(messageStore.stored(reply.id()).orElseThrow()).satisfies(m -> {
			assertThat(m.text()).isEqualTo("half an answer");
			assertThat(m.thinking()).isEqualTo("hmm, yes");
		});
		replyWriter.finish(reply.id(), "node-b", "half an answer", "hmm, yes", List.of(),
				new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
		assertThat(replyWriter.append(reply.id(), "node-b", 14, "!")).as("an ended reply takes no more").isFalse();
	}

	@Test
	void aReplyLetGoOfByADrainingNodeIsAnOrphanWithItsTokensKept() {
		nodes.heartbeat("draining-node");
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash", "draining-node");
		replyWriter.append(reply.id(), 0, "so far");

		assertThat(replyWriter.release(reply.id(), "someone-else", List.of(), new Usage(5, 6, 7), null))
			.as("only the node generating it lets go")
			.isFalse();
		assertThat(
				replyWriter.release(reply.id(), "draining-node", List.of(), new Usage(5, 6, 7), Duration.ofMillis(300)))
			.isTrue();

		// the draining node still holds its lease: the reply is an orphan all the same
		List<OrphanedReplies.Orphan> orphans = orphaned.orphansNotOn("node-b", nodes.databaseNow().minusSeconds(10));
		assertThat(orphans).singleElement().satisfies(o -> assertThat(o.node()).isNull());
		ChatMessage claimed = orphaned.claim(orphans.getFirst(), "node-b").orElseThrow();
		assertThat(claimed.usage()).isEqualTo(new Usage(5, 6, 7));
		assertThat(claimed.firstToken()).isEqualTo(Duration.ofMillis(300));
		assertThat(claimed.seams()).containsExactly(6);
	}

	// ---- web sources and "Search the web" (issue 13)

	@Test
	void anAnswersWebSourcesAreStoredWithItAndReadBackWhileStreamingAndAfter() {
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
		Grounding grounding = new Grounding(
				List.of(new Grounding.Source("Zugspitze – Wikipedia", "https://de.wikipedia.org/wiki/Zugspitze",
						"wikipedia.org"), new Grounding.Source(null, "https://www.bayern.de/", null)),
				List.of(new Grounding.Citation(31, List.of(1, 2))), List.of("Zugspitze Höhe"),
				"<style>.chip{}</style><a class=\"chip\">Zugspitze</a>", null);
		replyWriter.append(reply.id(), 0, "Die Zugspitze ist 2962 m hoch.");

		replyWriter.saveGrounding(reply.id(), grounding);

		assertThat(messageStore.message(owner, reply.id()).orElseThrow().grounding()).isEqualTo(grounding);
		replyWriter.finish(reply.id(), "Die Zugspitze ist 2962 m hoch.",
				new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
		assertThat(messageStore.history(owner, pane.id())).singleElement()
			.satisfies(m -> assertThat(m.grounding()).isEqualTo(grounding));
		assertThat(messageStore.addUserMessage(pane.owner(), pane.id(), "and?").grounding()).isNull();
	}

	@Test
	void searchTheWebIsRememberedWithTheConversationForItsOwnerOnly() {
		assertThat(pane.webSearch()).isFalse();

		assertThat(paneStore.changeWebSearch(owner, pane.id(), true)).isTrue();
		assertThat(paneStore.changeWebSearch(user("nosy"), pane.id(), false)).isFalse();

		assertThat(paneStore.openConversation(owner, pane.id()).orElseThrow().webSearch()).isTrue();
		paneStore.changeWebSearch(owner, pane.id(), false);
		assertThat(paneStore.openConversations(owner).getFirst().webSearch()).isFalse();
	}

}
