package dev.streamchat.chat;

import java.util.List;

import dev.streamchat.chat.internal.MessageTree;
import dev.streamchat.chat.internal.PartRepository;
import dev.streamchat.security.UserId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jdbc.test.autoconfigure.DataJdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The conversation list's storage: order, open and close, rename, automatic titles, delete and undo. */
@DataJdbcTest
@Import({ChatStore.class, NodeRegistry.class, PartRepository.class, MessageTree.class, SimpleMeterRegistry.class})
class ConversationStoreTest {

    @Autowired
    ChatStore store;
    @Autowired
    JdbcClient jdbc;

    UserId owner;

    @BeforeEach
    void createOwner() {
        owner = user("owner");
    }

    UserId user(String name) {
        jdbc.sql("insert into app_user (username, password_hash, created_at) values (?, 'x', current_timestamp)")
                .param(name).update();
        return new UserId(jdbc.sql("select id from app_user where username = ?").param(name).query(Long.class).single());
    }

    List<PaneId> listed(UserId user) {
        return store.conversations(user).stream().map(Conversation::id).toList();
    }

    @Test
    void conversationsAreListedLatestActivityFirstOpenOrClosedAndOnlyTheOwners() {
        Pane first = store.createPane(owner, "m");
        Pane second = store.createPane(owner, "m");
        Pane third = store.createPane(owner, "m");
        store.createPane(user("someone-else"), "m");
        store.closePane(owner, second.id());

        assertThat(listed(owner)).containsExactly(third.id(), second.id(), first.id());

        store.addUserMessage(first.id(), "a message makes it the latest");

        assertThat(listed(owner)).containsExactly(first.id(), third.id(), second.id());
        assertThat(store.conversations(owner)).extracting(Conversation::open).containsExactly(true, true, false);
    }

    @Test
    void aClosedConversationOpensAgainAsTheLastPane() {
        Pane closed = store.createPane(owner, "m");
        store.addUserMessage(closed.id(), "kept while closed");
        Pane other = store.createPane(owner, "m");
        store.closePane(owner, closed.id());
        assertThat(store.pane(owner, closed.id())).isEmpty();

        Pane reopened = store.openPane(owner, closed.id()).orElseThrow();

        assertThat(store.openPanes(owner)).extracting(Pane::id).containsExactly(other.id(), closed.id());
        assertThat(reopened.position()).isGreaterThan(other.position());
        assertThat(store.history(owner, closed.id())).extracting(ChatMessage::text).containsExactly("kept while closed");
        assertThat(store.openPane(user("intruder"), closed.id())).isEmpty();
    }

    @Test
    void renamingKeepsTheUsersTitleAndNoAutomaticTitleReplacesIt() {
        Pane pane = store.createPane(owner, "m");
        assertThat(pane.title()).startsWith("Chat ");
        assertThat(store.conversation(owner, pane.id()).orElseThrow().titleSet()).isFalse();

        assertThat(store.rename(owner, pane.id(), "  Trip   to Lisbon ")).contains("Trip to Lisbon");
        assertThat(store.titleIfUntitled(pane.id(), "Automatic title")).isFalse();

        Conversation renamed = store.conversation(owner, pane.id()).orElseThrow();
        assertThat(renamed.title()).isEqualTo("Trip to Lisbon");
        assertThat(renamed.titleSet()).isTrue();
        assertThat(store.pane(owner, pane.id()).orElseThrow().title()).isEqualTo("Trip to Lisbon");
        assertThat(store.rename(owner, pane.id(), "   ")).as("blank titles are refused").isEmpty();
        assertThat(store.rename(user("intruder"), pane.id(), "Mine now")).isEmpty();
        assertThat(store.conversation(owner, pane.id()).orElseThrow().title()).isEqualTo("Trip to Lisbon");
    }

    @Test
    void anAutomaticTitleIsGivenOnceEvenToAConversationCalledLikeADefault() {
        Pane pane = store.createPane(owner, "m");

        assertThat(store.titleIfUntitled(pane.id(), "Bike lock codes")).isTrue();
        assertThat(store.titleIfUntitled(pane.id(), "A second opinion")).isFalse();
        assertThat(store.conversation(owner, pane.id()).orElseThrow().title()).isEqualTo("Bike lock codes");

        Pane other = store.createPane(owner, "m");
        store.rename(owner, other.id(), other.title());
        assertThat(store.titleIfUntitled(other.id(), "Automatic")).as("a rename to 'Chat N' is a rename").isFalse();
    }

    @Test
    void aDeletedConversationIsFoundNowhereUntilItIsRestored() {
        Pane deleted = store.createPane(owner, "m");
        store.addUserMessage(deleted.id(), "the secret word is pelican");
        Pane kept = store.createPane(owner, "m");
        store.addUserMessage(kept.id(), "pelicans fly");

        assertThat(store.delete(owner, deleted.id())).isTrue();

        assertThat(listed(owner)).doesNotContain(deleted.id()).contains(kept.id());
        assertThat(store.openPanes(owner)).extracting(Pane::id).doesNotContain(deleted.id());
        assertThat(store.pane(owner, deleted.id())).isEmpty();
        assertThat(store.conversation(owner, deleted.id())).isEmpty();
        assertThat(store.history(owner, deleted.id())).isEmpty();
        assertThat(store.openPane(owner, deleted.id())).isEmpty();
        assertThat(store.search(owner, "pelican", null, 10)).extracting(SearchHit::paneId).containsExactly(kept.id());
        assertThat(store.rename(owner, deleted.id(), "new name")).isEmpty();
        assertThat(store.titleIfUntitled(deleted.id(), "auto")).isFalse();
        assertThat(store.delete(owner, deleted.id())).as("deleted once").isFalse();

        Conversation restored = store.restore(owner, deleted.id()).orElseThrow();

        assertThat(restored.open()).isTrue();
        assertThat(listed(owner)).contains(deleted.id());
        assertThat(store.openPanes(owner)).extracting(Pane::id).contains(deleted.id());
        assertThat(store.history(owner, deleted.id())).extracting(ChatMessage::text)
                .containsExactly("the secret word is pelican");
        assertThat(store.search(owner, "pelican", null, 10)).hasSize(2);
    }

    @Test
    void anotherUserCanNeitherDeleteNorRestore() {
        Pane pane = store.createPane(owner, "m");
        UserId intruder = user("intruder");

        assertThat(store.delete(intruder, pane.id())).isFalse();
        assertThat(listed(owner)).contains(pane.id());

        store.delete(owner, pane.id());
        assertThat(store.restore(intruder, pane.id())).isEmpty();
        assertThat(listed(owner)).doesNotContain(pane.id());
    }
}
