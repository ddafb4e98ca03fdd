package dev.streamchat.chat;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversation list's storage: order, open and close, rename, automatic titles,
 * delete and undo.
 */
@DataJdbcTest
@AutoConfigureJson
@Import({ ConversationStore.class, Messages.class, ReplyWriter.class, OrphanedReplies.class, MessageMapper.class,
		NodeRegistry.class, PartRepository.class, MessageTree.class, AttachmentRepository.class,
		SimpleMeterRegistry.class })
class ConversationStoreTest {

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	JdbcClient jdbc;

	UserId owner;

	@BeforeEach
	void createOwner() {
		owner = user("owner");
	}

	UserId user(String name) {
		jdbc.sql("insert into app_user (username, password_hash, created_at) values (?, 'x', current_timestamp)")
			.param(name)
			.update();
		return new UserId(
				jdbc.sql("select id from app_user where username = ?").param(name).query(Long.class).single());
	}

	List<ConversationId> listed(UserId user) {
		return paneStore.conversations(user).stream().map(ConversationSummary::id).toList();
	}

	@Test
	void conversationsAreListedLatestActivityFirstOpenOrClosedAndOnlyTheOwners() {
		Conversation first = paneStore.create(owner, "m");
		Conversation second = paneStore.create(owner, "m");
		Conversation third = paneStore.create(owner, "m");
		paneStore.create(user("someone-else"), "m");
		paneStore.close(owner, second.id());

		assertThat(listed(owner)).containsExactly(third.id(), second.id(), first.id());

		messageStore.addUserMessage(first.owner(), first.id(), "a message makes it the latest");

		assertThat(listed(owner)).containsExactly(first.id(), third.id(), second.id());
		assertThat(paneStore.conversations(owner)).extracting(ConversationSummary::open)
			.containsExactly(true, true, false);
	}

	@Test
	void aClosedConversationOpensAgainAsTheLastPane() {
		Conversation closed = paneStore.create(owner, "m");
		messageStore.addUserMessage(closed.owner(), closed.id(), "kept while closed");
		Conversation other = paneStore.create(owner, "m");
		paneStore.close(owner, closed.id());
		assertThat(paneStore.openConversation(owner, closed.id())).isEmpty();

		Conversation reopened = paneStore.open(owner, closed.id()).orElseThrow();

		assertThat(paneStore.openConversations(owner)).extracting(Conversation::id)
			.containsExactly(other.id(), closed.id());
		assertThat(reopened.position()).isGreaterThan(other.position());
		assertThat(messageStore.history(owner, closed.id())).extracting(ChatMessage::text)
			.containsExactly("kept while closed");
		assertThat(paneStore.open(user("intruder"), closed.id())).isEmpty();
	}

	@Test
	void renamingKeepsTheUsersTitleAndNoAutomaticTitleReplacesIt() {
		Conversation pane = paneStore.create(owner, "m");
		assertThat(pane.title()).startsWith("Chat ");
		assertThat(paneStore.conversation(owner, pane.id()).orElseThrow().titleSet()).isFalse();

		assertThat(paneStore.rename(owner, pane.id(), "  Trip   to Lisbon ")).contains("Trip to Lisbon");
		assertThat(paneStore.titleIfUntitled(owner, pane.id(), "Automatic title")).isFalse();

		ConversationSummary renamed = paneStore.conversation(owner, pane.id()).orElseThrow();
		assertThat(renamed.title()).isEqualTo("Trip to Lisbon");
		assertThat(renamed.titleSet()).isTrue();
		assertThat(paneStore.openConversation(owner, pane.id()).orElseThrow().title()).isEqualTo("Trip to Lisbon");
		assertThat(paneStore.rename(owner, pane.id(), "   ")).as("blank titles are refused").isEmpty();
		assertThat(paneStore.rename(user("intruder"), pane.id(), "Mine now")).isEmpty();
		assertThat(paneStore.conversation(owner, pane.id()).orElseThrow().title()).isEqualTo("Trip to Lisbon");
	}

	@Test
	void anAutomaticTitleIsGivenOnceEvenToAConversationCalledLikeADefault() {
		Conversation pane = paneStore.create(owner, "m");

		assertThat(paneStore.titleIfUntitled(owner, pane.id(), "Bike lock codes")).isTrue();
		assertThat(paneStore.titleIfUntitled(owner, pane.id(), "A second opinion")).isFalse();
		assertThat(paneStore.conversation(owner, pane.id()).orElseThrow().title()).isEqualTo("Bike lock codes");

		Conversation other = paneStore.create(owner, "m");
		paneStore.rename(owner, other.id(), other.title());
		assertThat(paneStore.titleIfUntitled(owner, other.id(), "Automatic")).as("a rename to 'Chat N' is a rename")
			.isFalse();
	}

	@Test
	void aDeletedConversationIsFoundNowhereUntilItIsRestored() {
		Conversation deleted = paneStore.create(owner, "m");
		messageStore.addUserMessage(deleted.owner(), deleted.id(), "the secret word is pelican");
		Conversation kept = paneStore.create(owner, "m");
		messageStore.addUserMessage(kept.owner(), kept.id(), "pelicans fly");

		assertThat(paneStore.delete(owner, deleted.id())).isTrue();

		assertThat(listed(owner)).doesNotContain(deleted.id()).contains(kept.id());
		assertThat(paneStore.openConversations(owner)).extracting(Conversation::id).doesNotContain(deleted.id());
		assertThat(paneStore.openConversation(owner, deleted.id())).isEmpty();
		assertThat(paneStore.conversation(owner, deleted.id())).isEmpty();
		assertThat(messageStore.history(owner, deleted.id())).isEmpty();
		assertThat(paneStore.open(owner, deleted.id())).isEmpty();
		assertThat(messageStore.search(owner, "pelican", null, 10)).extracting(SearchHit::conversationId)
			.containsExactly(kept.id());
		assertThat(paneStore.rename(owner, deleted.id(), "new name")).isEmpty();
		assertThat(paneStore.titleIfUntitled(owner, deleted.id(), "auto")).isFalse();
		assertThat(paneStore.delete(owner, deleted.id())).as("deleted once").isFalse();

		ConversationSummary restored = paneStore.restore(owner, deleted.id()).orElseThrow();

		assertThat(restored.open()).isTrue();
		assertThat(listed(owner)).contains(deleted.id());
		assertThat(paneStore.openConversations(owner)).extracting(Conversation::id).contains(deleted.id());
		assertThat(messageStore.history(owner, deleted.id())).extracting(ChatMessage::text)
			.containsExactly("the secret word is pelican");
		assertThat(messageStore.search(owner, "pelican", null, 10)).hasSize(2);
	}

	@Test
	void anotherUserCanNeitherDeleteNorRestore() {
		Conversation pane = paneStore.create(owner, "m");
		UserId intruder = user("intruder");

		assertThat(paneStore.delete(intruder, pane.id())).isFalse();
		assertThat(listed(owner)).contains(pane.id());

		paneStore.delete(owner, pane.id());
		assertThat(paneStore.restore(intruder, pane.id())).isEmpty();
		assertThat(listed(owner)).doesNotContain(pane.id());
	}

}
