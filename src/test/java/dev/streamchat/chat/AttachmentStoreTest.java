package dev.streamchat.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.streamchat.chat.internal.AttachmentRepository;
import dev.streamchat.chat.internal.MessageMapper;
import dev.streamchat.chat.internal.MessageTree;
import dev.streamchat.chat.internal.PartRepository;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.internal.NodeRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.test.autoconfigure.json.AutoConfigureJson;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files stored with their prompt: read back whole by their owner only, and gone with
 * their message or conversation.
 */
@DataJdbcTest
@AutoConfigureJson
@Import({ ConversationStore.class, Messages.class, ReplyWriter.class, OrphanedReplies.class, MessageMapper.class,
		NodeRegistry.class, PartRepository.class, MessageTree.class, AttachmentRepository.class, AttachmentStore.class,
		SimpleMeterRegistry.class })
class AttachmentStoreTest {

	@Autowired
	ConversationStore panes;

	@Autowired
	Messages messages;

	@Autowired
	ReplyWriter replies;

	@Autowired
	AttachmentStore attachments;

	@Autowired
	JdbcClient jdbc;

	UserId owner;

	Conversation pane;

	@BeforeEach
	void createPane() {
		// unique: one test commits (it checks a rollback), so its rows outlive it
		owner = user("owner-" + System.nanoTime());
		pane = panes.create(owner, "gemini-2.5-flash");
	}

	UserId user(String name) {
		jdbc.sql("insert into app_user (username, password_hash, created_at) values (?, 'x', current_timestamp)")
			.param(name)
			.update();
		return new UserId(
				jdbc.sql("select id from app_user where username = ?").param(name).query(Long.class).single());
	}

	static byte[] bytes(int size, int seed) {
		byte[] b = new byte[size];
		for (int i = 0; i < size; i++) {
			b[i] = (byte) (i * 7 + seed);
		}
		return b;
	}

	int rows(String table) {
		return jdbc.sql("select count(*) from " + table).query(Integer.class).single();
	}

	@Test
	void aPromptsFilesAreListedInOrderWithItAndReadBackWholeByTheirOwner() {
		// 5 MB: a real photo's size, through bytea / BINARY VARYING
		byte[] photo = bytes(5 * 1024 * 1024 + 3, 1);
		byte[] notes = "notes ✓".getBytes(StandardCharsets.UTF_8);
		ChatMessage prompt = messages.addUserMessage(pane.owner(), pane.id(), "What is this?",
				List.of(new NewAttachment("photo.jpg", "image/jpeg", photo, 4000, 3000),
						new NewAttachment("notes.txt", "text/plain", notes, null, null)));

		assertThat(prompt.attachments()).extracting(Attachment::name).containsExactly("photo.jpg", "notes.txt");
		ChatMessage listed = messages.currentPath(owner, pane.id()).getFirst();
		assertThat(listed.attachments()).hasSize(2);
		Attachment first = listed.attachments().getFirst();
		assertThat(first.mimeType()).isEqualTo("image/jpeg");
		assertThat(first.size()).isEqualTo(photo.length);
		assertThat(first.width()).isEqualTo(4000);
		assertThat(first.height()).isEqualTo(3000);
		assertThat(listed.attachments().get(1).width()).isNull();

		assertThat(attachments.owned(owner, first.id())).hasValueSatisfying(file -> {
			assertThat(file.bytes()).isEqualTo(photo);
			assertThat(file.attachment().name()).isEqualTo("photo.jpg");
		});
		assertThat(attachments.owned(owner, listed.attachments().get(1).id()).orElseThrow().bytes()).isEqualTo(notes);
	}

	@Test
	void anotherUsersIdAndADeletedConversationsFileFindNothing() {
		ChatMessage prompt = messages.addUserMessage(pane.owner(), pane.id(), "mine",
				List.of(new NewAttachment("a.png", "image/png", bytes(100, 2), 1, 1)));
		AttachmentId id = prompt.attachments().getFirst().id();
		UserId stranger = user("stranger");

		assertThat(attachments.owned(stranger, id)).isEmpty();
		assertThat(attachments.owned(owner, new AttachmentId(id.value() + 1000))).isEmpty();

		panes.delete(owner, pane.id());
		assertThat(attachments.owned(owner, id)).isEmpty();
	}

	@Test
	void deletingTheExchangeDeletesItsFilesAndTheirBytes() {
		ChatMessage prompt = messages.addUserMessage(pane.owner(), pane.id(), "with a file",
				List.of(new NewAttachment("a.png", "image/png", bytes(100, 3), 1, 1)));
		ChatMessage reply = replies.startReply(pane.id(), "gemini-2.5-flash");
		replies.finish(reply.id(), "ok", new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
		assertThat(rows("attachment_data")).isEqualTo(1);

		messages.deleteExchange(owner, prompt.id());

		assertThat(rows("attachment")).isZero();
		assertThat(rows("attachment_data")).isZero();
	}

	@Test
	void theFilesOfAConversationDeletedLongerAgoThanUndoArePurgedOthersStay() {
		messages.addUserMessage(pane.owner(), pane.id(), "old",
				List.of(new NewAttachment("a.png", "image/png", bytes(10, 4), 1, 1)));
		Conversation kept = panes.create(owner, "gemini-2.5-flash");
		messages.addUserMessage(kept.owner(), kept.id(), "kept",
				List.of(new NewAttachment("b.png", "image/png", bytes(10, 5), 1, 1)));
		jdbc.sql("update pane set deleted_at = ? where id = ?")
			.param(Instant.now().minus(Duration.ofHours(2)).atOffset(ZoneOffset.UTC))
			.param(pane.id().value())
			.update();

		assertThat(attachments.purgeDeleted(Duration.ofHours(1))).isEqualTo(1);

		assertThat(rows("attachment")).isEqualTo(1);
		assertThat(rows("attachment_data")).isEqualTo(1);
		assertThat(messages.currentPath(owner, kept.id()).getFirst().attachments()).hasSize(1);
	}

	@Test
	void anEditedPromptKeepsTheEarlierVersionsFiles() {
		byte[] content = bytes(300, 6);
		ChatMessage prompt = messages.addUserMessage(pane.owner(), pane.id(), "first",
				List.of(new NewAttachment("a.pdf", "application/pdf", content, null, null)));

		ChatMessage version = messages.addPromptVersion(prompt, "second");

		assertThat(version.attachments()).singleElement().satisfies(file -> {
			assertThat(file.id()).isNotEqualTo(prompt.attachments().getFirst().id());
			assertThat(attachments.owned(owner, file.id()).orElseThrow().bytes()).isEqualTo(content);
		});
	}

	@Test
	void theModelProvidersCopyIsRemembered() {
		ChatMessage prompt = messages.addUserMessage(pane.owner(), pane.id(), "x",
				List.of(new NewAttachment("a.mp3", "audio/mpeg", bytes(50, 7), null, null)));
		Instant expires = Instant.now().plus(Duration.ofHours(48)).truncatedTo(ChronoUnit.MILLIS);

		attachments.rememberRemote(prompt.attachments().getFirst().id(), "https://files.example/abc", expires);

		Attachment read = messages.currentPath(owner, pane.id()).getFirst().attachments().getFirst();
		assertThat(read.remoteUri()).isEqualTo("https://files.example/abc");
		assertThat(read.remoteExpiresAt()).isEqualTo(expires);
	}

	@Test
	// the store's own transaction must roll back, not the test's
	@Transactional(propagation = Propagation.NOT_SUPPORTED)
	void aFileThatCannotBeStoredLeavesNeitherItNorItsPrompt() {
		String tooLongType = "x".repeat(200); // the column holds 100

		assertThatThrownBy(() -> messages.addUserMessage(pane.owner(), pane.id(), "half?",
				List.of(new NewAttachment("ok.png", "image/png", bytes(10, 8), 1, 1),
						new NewAttachment("bad", tooLongType, bytes(10, 9), null, null))))
			.isInstanceOf(RuntimeException.class);

		assertThat(messages.history(owner, pane.id())).isEmpty();
		assertThat(jdbc.sql("select count(*) from attachment where name = 'ok.png' and size_bytes = 10")
			.query(Integer.class)
			.single()).isZero();
	}

}
