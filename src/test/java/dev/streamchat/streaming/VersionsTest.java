package dev.streamchat.streaming;

import java.util.List;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.StreamingTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Regenerating keeps earlier answers as versions; the conversation follows the selected one. */
class VersionsTest extends StreamingTestSupport {

    @Test
    void regeneratingAsksTheModelAgainWithoutTheEarlierAnswerAndKeepsItAsAVersion() {
        fake.when("poem", Reply.chunks("Roses are red."));
        fake.when("poem", Reply.chunks("Violets are blue."));
        ChatMessage first = awaitEnd(streaming.send(alice, pane.id(), "a poem please").id());

        ChatMessage second = awaitEnd(streaming.regenerate(alice, first.id()).id());

        assertThat(second.text()).isEqualTo("Violets are blue.");
        // the prompt was sent once, and the earlier answer not at all
        assertThat(fake.requests().getLast().contents()).containsExactly(new FakeGemini.Turn("user", "a poem please"));
        List<ChatMessage> history = store.history(pane.id());
        assertThat(history).extracting(ChatMessage::text)
                .containsExactly("a poem please", "Roses are red.", "Violets are blue.");
        assertThat(history).extracting(ChatMessage::superseded).containsExactly(false, true, false);
        assertThat(events).filteredOn(e -> e instanceof MessageEvent.VersionSelected).singleElement()
                .satisfies(e -> assertThat(((MessageEvent.VersionSelected) e).versions())
                        .containsExactly(first.id(), second.id()));
    }

    @Test
    void theConversationContinuesFromTheSelectedVersion() {
        fake.when("poem", Reply.chunks("Roses are red."));
        fake.when("poem", Reply.chunks("Violets are blue."));
        ChatMessage first = awaitEnd(streaming.send(alice, pane.id(), "a poem please").id());
        awaitEnd(streaming.regenerate(alice, first.id()).id());

        streaming.selectVersion(alice, first.id());
        fake.when("another", Reply.chunks("Sugar is sweet."));
        awaitEnd(streaming.send(alice, pane.id(), "another line").id());

        assertThat(fake.requests().getLast().contents()).extracting(FakeGemini.Turn::text)
                .containsExactly("a poem please", "Roses are red.", "another line");
    }

    @Test
    void onlyTheLatestAnswerCanBeRegenerated() {
        fake.when("one", Reply.chunks("One."));
        fake.when("two", Reply.chunks("Two."));
        ChatMessage first = awaitEnd(streaming.send(alice, pane.id(), "one").id());
        awaitEnd(streaming.send(alice, pane.id(), "two").id());

        assertThatThrownBy(() -> streaming.regenerate(alice, first.id()))
                .isInstanceOf(PromptRejectedException.class).hasMessageContaining("latest");
    }
}
