package dev.streamchat.streaming;

import java.util.List;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Versions;
import dev.streamchat.history.ConversationEdits;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.testing.FakeModelTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Regenerating an answer or editing a prompt keeps the earlier version, with whatever
 * followed it; the conversation (what the model is sent, what a pane shows) follows the
 * chosen versions.
 */
class VersionsTest extends FakeModelTestSupport {

	@Autowired
	ConversationEdits edits;

	List<String> conversation() {
		return messageStore.currentPath(alice, pane.id()).stream().map(ChatMessage::text).toList();
	}

	List<String> sentToModel() {
		return model.requests().getLast().history().stream().map(ModelRequest.Turn::text).toList();
	}

	ChatMessage exchange(String prompt, String answer) {
		model.when(prompt, chunks(answer));
		return awaitEnd(streaming.send(alice, pane.id(), prompt).id());
	}

	/**
	 * one / One. / two / Two. / three / Three., then "two" edited to "deux"; returns the
	 * original "two".
	 */
	ChatMessage threeExchangesWithTheSecondPromptEdited() {
		exchange("one", "One.");
		exchange("two", "Two.");
		exchange("three", "Three.");
		ChatMessage two = messageStore.currentPath(alice, pane.id()).get(2);
		model.when("deux", chunks("Deux."));
		awaitEnd(streaming.edit(alice, two.id(), "deux").id());
		return two;
	}

	@Test
	void regeneratingAsksTheModelAgainWithoutTheEarlierAnswerAndKeepsItAsAVersion() {
		ChatMessage first = exchange("a poem please", "Roses are red.");
		model.when("poem", chunks("Violets are blue."));

		ChatMessage second = awaitEnd(streaming.regenerate(alice, first.id()).id());

		assertThat(second.text()).isEqualTo("Violets are blue.");
		// the prompt was sent once, and the earlier answer not at all
		assertThat(model.requests().getLast().history()).extracting(ModelRequest.Turn::author, ModelRequest.Turn::text)
			.containsExactly(tuple(ModelRequest.Author.USER, "a poem please"));
		assertThat(conversation()).containsExactly("a poem please", "Violets are blue.");
		assertThat(messageStore.history(alice, pane.id())).extracting(ChatMessage::text)
			.containsExactly("a poem please", "Roses are red.", "Violets are blue.");
		assertThat(messageStore.versions(alice, pane.id(), List.of(second)).get(second.id()))
			.isEqualTo(new Versions(2, 2, first.id(), null));
		assertThat(events).filteredOn(e -> e instanceof MessageEvent.PathChanged)
			.singleElement()
			.extracting(MessageEvent::messageId)
			.isEqualTo(second.id());
	}

	@Test
	void theConversationContinuesFromTheSelectedVersion() {
		ChatMessage first = exchange("a poem please", "Roses are red.");
		model.when("poem", chunks("Violets are blue."));
		awaitEnd(streaming.regenerate(alice, first.id()).id());

		edits.chooseVersion(alice, first.id());
		exchange("another line", "Sugar is sweet.");

		assertThat(sentToModel()).containsExactly("a poem please", "Roses are red.", "another line");
	}

	@Test
	void editingAnEarlierPromptBranchesTheConversationAndTheOldBranchComesBackWhole() {
		ChatMessage q1 = messageStore.stored(exchange("capital of France?", "Paris.").id()).orElseThrow();
		exchange("and of Spain?", "Madrid.");
		ChatMessage firstPrompt = messageStore.currentPath(alice, pane.id()).getFirst();
		model.when("Italy", chunks("Rome."));

		ChatMessage edited = awaitEnd(streaming.edit(alice, firstPrompt.id(), "capital of Italy?").id());

		assertThat(edited.text()).isEqualTo("Rome.");
		// the model is sent the conversation before the edited prompt, and the new
		// prompt: nothing after it
		assertThat(sentToModel()).containsExactly("capital of Italy?");
		assertThat(conversation()).containsExactly("capital of Italy?", "Rome.");
		ChatMessage newPrompt = messageStore.currentPath(alice, pane.id()).getFirst();
		assertThat(messageStore.versions(alice, pane.id(), List.of(newPrompt)).get(newPrompt.id()))
			.isEqualTo(new Versions(2, 2, firstPrompt.id(), null));
		assertThat(events).filteredOn(e -> e instanceof MessageEvent.PathChanged).hasSize(1);
		// search finds what conversations show, not the versions they left
		assertThat(messageStore.search(alice, "capital of France", null, 10)).isEmpty();

		edits.chooseVersion(alice, firstPrompt.id());

		assertThat(messageStore.search(alice, "capital of France", null, 10)).hasSize(1);

		assertThat(conversation()).containsExactly("capital of France?", "Paris.", "and of Spain?", "Madrid.");
		exchange("and of Portugal?", "Lisbon.");
		assertThat(sentToModel()).containsExactly("capital of France?", "Paris.", "and of Spain?", "Madrid.",
				"and of Portugal?");
		assertThat(q1.text()).isEqualTo("Paris.");
	}

	@Test
	void editingAPromptInTheMiddleKeepsWhatCameBeforeIt() {
		threeExchangesWithTheSecondPromptEdited();

		assertThat(sentToModel()).containsExactly("one", "One.", "deux");
		assertThat(conversation()).containsExactly("one", "One.", "deux", "Deux.");
		// the page a pane opens with shows the chosen path only
		assertThat(messageStore.page(alice, pane.id(), null, 50)).extracting(ChatMessage::text)
			.containsExactly("one", "One.", "deux", "Deux.");
	}

	@Test
	void regeneratingAnEarlierAnswerBranchesFromThere() {
		ChatMessage one = exchange("one", "One.");
		exchange("two", "Two.");
		model.when("one", chunks("Uno."));

		ChatMessage uno = awaitEnd(streaming.regenerate(alice, one.id()).id());

		assertThat(uno.text()).isEqualTo("Uno.");
		assertThat(sentToModel()).containsExactly("one");
		assertThat(conversation()).containsExactly("one", "Uno.");
		edits.chooseVersion(alice, one.id());
		assertThat(conversation()).containsExactly("one", "One.", "two", "Two.");
	}

	@Test
	void anEditNeedsTextAndAPromptOfTheConversation() {
		ChatMessage answer = exchange("hello", "Hi.");
		ChatMessage prompt = messageStore.currentPath(alice, pane.id()).getFirst();

		assertThatThrownBy(() -> streaming.edit(alice, prompt.id(), "   ")).isInstanceOf(PromptRejectedException.class)
			.hasMessageContaining("Type a message");
		assertThatThrownBy(() -> streaming.edit(alice, answer.id(), "changed"))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessageContaining("your own messages");
		model.when("hello again", chunks("Hi again."));
		awaitEnd(streaming.edit(alice, prompt.id(), "hello again").id());
		// the earlier prompt is a version now, not part of the conversation: it cannot be
		// edited until chosen again
		assertThatThrownBy(() -> streaming.edit(alice, prompt.id(), "hello there"))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessageContaining("no longer part of the conversation");
		assertThat(conversation()).containsExactly("hello again", "Hi again.");
	}

	@Test
	void deletingAnExchangeKeepsWhatFollowedIt() {
		ChatMessage two = threeExchangesWithTheSecondPromptEdited();
		edits.chooseVersion(alice, two.id());

		edits.deleteExchange(alice, two.id());

		assertThat(conversation()).containsExactly("one", "One.", "three", "Three.");
		// the prompt's other version went with it
		assertThat(messageStore.history(alice, pane.id())).extracting(ChatMessage::text)
			.containsExactly("one", "One.", "three", "Three.");
		exchange("four", "Four.");
		assertThat(sentToModel()).containsExactly("one", "One.", "three", "Three.", "four");
	}

}
