package dev.streamchat.sharing;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.streamchat.chat.AttachmentId;
import dev.streamchat.chat.AttachmentStore;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.chat.OrphanedReplies;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.chat.Usage;
import dev.streamchat.chat.internal.AttachmentRepository;
import dev.streamchat.chat.internal.MessageMapper;
import dev.streamchat.chat.internal.MessageTree;
import dev.streamchat.chat.internal.PartRepository;
import dev.streamchat.security.UserId;
import dev.streamchat.sharing.internal.ShareStore;
import dev.streamchat.streaming.internal.NodeRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.boot.test.autoconfigure.json.AutoConfigureJson;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Share links as stored: snapshots, options, owners, revocation (H2 here, PostgreSQL in
 * the subclass).
 */
@DataJdbcTest
@AutoConfigureJson
// the same list as ChatStorageTest's, so the two share one context
@Import({ ConversationStore.class, Messages.class, ReplyWriter.class, OrphanedReplies.class, MessageMapper.class,
		NodeRegistry.class, PartRepository.class, MessageTree.class, AttachmentRepository.class, AttachmentStore.class,
		SimpleMeterRegistry.class, SharedLinks.class, ShareStore.class })
class SharedLinksTest {

	@Autowired
	SharedLinks links;

	@Autowired
	ConversationStore panes;

	@Autowired
	Messages messages;

	@Autowired
	ReplyWriter replies;

	@Autowired
	JdbcClient jdbc;

	UserId owner;

	UserId other;

	Conversation pane;

	static final Grounding SOURCES = new Grounding(
			List.of(new Grounding.Source("Example", "https://example.org/", "example.org")),
			List.of(new Grounding.Citation(5, List.of(1))), List.of("example"), null, null);

	@BeforeEach
	void conversation() {
		owner = user("share-owner");
		other = user("share-other");
		pane = panes.create(owner, "gemini-2.5-flash");
		panes.changeSettings(owner, pane.id(), "Be brief.", null);
		messages.addUserMessage(pane.owner(), pane.id(), "What time is it?");
		ChatMessage answer = replies.startReply(pane.id(), "gemini-2.5-flash");
		replies.saveGrounding(answer.id(), SOURCES);
		replies.finish(answer.id(), "Noon. Checked.", "",
				List.of(new ToolPart(0, 0, "current_time", "{\"time_zone\":\"UTC\"}", ToolPart.ToolStatus.DONE,
						"{\"date_time\":\"12:00\"}", null)),
				new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
	}

	UserId user(String name) {
		jdbc.sql("insert into app_user (username, password_hash, created_at) values (?, 'x', current_timestamp)")
			.param(name)
			.update();
		return new UserId(
				jdbc.sql("select id from app_user where username = ?").param(name).query(Long.class).single());
	}

	@Test
	void aLinkShowsTheConversationAsItWasWithItsSourcesAndNothingTheOwnerDidNotTick() {
		SharedLink link = links.create(owner, pane.id(), ShareOptions.NONE).orElseThrow();
		messages.addUserMessage(pane.owner(), pane.id(), "a later message, not shared");

		SharedConversation shared = links.open(link.id()).orElseThrow();

		assertThat(shared.title()).isEqualTo(pane.title());
		assertThat(shared.messages()).extracting(SharedConversation.Message::text)
			.containsExactly("What time is it?", "Noon. Checked.");
		assertThat(shared.messages().get(1).grounding()).isEqualTo(SOURCES);
		assertThat(shared.messages().get(1).model()).isEqualTo("gemini-2.5-flash");
		assertThat(shared.messages().get(1).toolCalls()).isEmpty();
		assertThat(shared.systemInstruction()).isNull();
	}

	@Test
	void toolCallsAndSystemInstructionsAreSharedOnlyWhenTicked() {
		SharedLink link = links.create(owner, pane.id(), new ShareOptions(true, true, true)).orElseThrow();

		SharedConversation shared = links.open(link.id()).orElseThrow();

		assertThat(shared.systemInstruction()).isEqualTo("Be brief.");
		assertThat(shared.messages().get(1).toolCalls()).singleElement()
			.satisfies(call -> assertThat(call.argsJson()).contains("UTC"));
	}

	@Test
	void idsAre128RandomBitsAndNeverRepeat() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			String id = ShareId.random().value();
			assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
			assertThat(seen.add(id)).isTrue();
		}
		assertThat(ShareId.parse("../../etc/passwd")).isEmpty();
		assertThat(ShareId.parse(pane.id().toString())).isEmpty();
	}

	@Test
	void onlyTheOwnerListsAndRevokesAndARevokedLinkFindsNothing() {
		SharedLink link = links.create(owner, pane.id(), ShareOptions.NONE).orElseThrow();

		assertThat(links.list(owner)).extracting(SharedLink::id).containsExactly(link.id());
		assertThat(links.list(other)).isEmpty();
		assertThat(links.revoke(other, link.id())).isFalse();
		assertThat(links.open(link.id())).isPresent();

		assertThat(links.revoke(owner, link.id())).isTrue();

		assertThat(links.open(link.id())).isEmpty();
		assertThat(links.list(owner)).isEmpty();
	}

	@Test
	void anotherUserCannotShareAConversationThatIsNotTheirs() {
		assertThat(links.create(other, pane.id(), new ShareOptions(true, true, true))).isEmpty();
		assertThat(links.list(other)).isEmpty();
	}

	@Test
	void aDeletedConversationsLinksFindNothing() {
		SharedLink link = links.create(owner, pane.id(), ShareOptions.NONE).orElseThrow();

		panes.delete(owner, pane.id());

		assertThat(links.open(link.id())).isEmpty();
		assertThat(links.list(owner)).isEmpty();
	}

	@Test
	void attachedFilesAreSharedOnlyWhenTickedAndOnlyTheSnapshotsOwnFilesAreServed() {
		ChatMessage prompt = messages.addUserMessage(pane.owner(), pane.id(), "And this file?",
				List.of(new NewAttachment("plan.txt", "text/plain", "the secret plan".getBytes(UTF_8), null, null)));
		AttachmentId file = prompt.attachments().getFirst().id();
		SharedLink withFiles = links.create(owner, pane.id(), new ShareOptions(false, false, true)).orElseThrow();
		SharedLink withoutFiles = links.create(owner, pane.id(), ShareOptions.NONE).orElseThrow();
		ChatMessage later = messages.addUserMessage(pane.owner(), pane.id(), "a later file, not in the snapshot",
				List.of(new NewAttachment("later.txt", "text/plain", "later".getBytes(UTF_8), null, null)));
		Conversation otherPane = panes.create(owner, "gemini-2.5-flash");
		ChatMessage elsewhere = messages.addUserMessage(otherPane.owner(), otherPane.id(), "another conversation",
				List.of(new NewAttachment("other.txt", "text/plain", "other".getBytes(UTF_8), null, null)));
		SharedLink otherLink = links.create(owner, otherPane.id(), new ShareOptions(false, false, true)).orElseThrow();

		SharedConversation.Message shared = links.open(withFiles.id()).orElseThrow().messages().get(2);
		assertThat(shared.files()).singleElement().satisfies(f -> {
			assertThat(f.name()).isEqualTo("plan.txt");
			assertThat(f.size()).isEqualTo(15);
		});
		assertThat(shared.filesNotShared()).isZero();
		assertThat(links.attachment(withFiles.id(), file))
			.hasValueSatisfying(found -> assertThat(new String(found.bytes(), UTF_8)).isEqualTo("the secret plan"));

		SharedConversation.Message withheld = links.open(withoutFiles.id()).orElseThrow().messages().get(2);
		assertThat(withheld.files()).as("not even the name").isEmpty();
		assertThat(withheld.filesNotShared()).isEqualTo(1);
		assertThat(links.attachment(withoutFiles.id(), file)).isEmpty();

		// a file of the same conversation made later, and another link's file: not this
		// link's
		assertThat(links.attachment(withFiles.id(), later.attachments().getFirst().id())).isEmpty();
		assertThat(links.attachment(withFiles.id(), elsewhere.attachments().getFirst().id())).isEmpty();
		assertThat(links.attachment(otherLink.id(), file)).isEmpty();
		assertThat(links.attachment(otherLink.id(), elsewhere.attachments().getFirst().id())).isPresent();

		links.revoke(owner, withFiles.id());

		assertThat(links.attachment(withFiles.id(), file)).as("revoked").isEmpty();
	}

	@Test
	void aSharedFileGoesWhenItsConversationIsDeleted() {
		ChatMessage prompt = messages.addUserMessage(pane.owner(), pane.id(), "And this file?",
				List.of(new NewAttachment("plan.txt", "text/plain", "the secret plan".getBytes(UTF_8), null, null)));
		SharedLink link = links.create(owner, pane.id(), new ShareOptions(false, false, true)).orElseThrow();

		panes.delete(owner, pane.id());

		assertThat(links.attachment(link.id(), prompt.attachments().getFirst().id())).isEmpty();
	}

	@Test
	void aSnapshotTakenBeforeFilesCouldBeSharedStillOpens() {
		jdbc.sql("""
				insert into shared_link (id, owner_id, pane_id, title, created_at, snapshot)
				values ('AAAAAAAAAAAAAAAAAAAAAA', :owner, :pane, 'Old', current_timestamp, :snapshot)""")
			.param("owner", owner.value())
			.param("pane", pane.id().value())
			.param("snapshot", """
					{"title":"Old","sharedAt":"2026-12-01T10:00:00Z","systemInstruction":null,"messages":[
					{"user":true,"text":"hi","model":null,"status":"COMPLETE","grounding":null,"toolCalls":[]}]}""")
			.update();

		SharedConversation old = links.open(new ShareId("AAAAAAAAAAAAAAAAAAAAAA")).orElseThrow();

		assertThat(old.messages()).singleElement().satisfies(m -> {
			assertThat(m.text()).isEqualTo("hi");
			assertThat(m.files()).isEmpty();
			assertThat(m.filesNotShared()).isZero();
		});
	}

}
