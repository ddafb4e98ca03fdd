package dev.streamchat.streaming;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelRequest.Attachment;
import dev.streamchat.model.ModelRequest.Author;
import dev.streamchat.model.ModelRequest.Turn;
import dev.streamchat.testing.FakeModelTestSupport;
import org.junit.jupiter.api.Test;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A prompt's files stay in the conversation: the model gets them with every later turn,
 * and an edit keeps them. How the Gemini adapter sends them (inline or uploaded) is
 * {@code GeminiAttachmentsTest}'s.
 */
class AttachmentTurnsTest extends FakeModelTestSupport {

	static final byte[] NOTES = "the launch is on Tuesday".getBytes(StandardCharsets.UTF_8);
	static final byte[] PDF = "%PDF-1.4 agenda %%EOF".getBytes(StandardCharsets.US_ASCII);

	/** The files the model is sent with the conversation, in order. */
	static List<Attachment> files(ModelRequest request) {
		return request.history().stream().flatMap(turn -> turn.attachments().stream()).toList();
	}

	@Test
	void laterTurnsStillSendTheFilesOfEarlierPrompts() {
		model.when("read these", chunks("Read them."));
		awaitEnd(streaming.send(alice, pane.id(), "read these",
				List.of(new NewAttachment("notes.txt", "text/plain", NOTES, null, null),
						new NewAttachment("agenda.pdf", "application/pdf", PDF, null, null)))
			.id());
		model.when("and the second", chunks("The agenda."));

		awaitEnd(streaming.send(alice, pane.id(), "and the second file?").id());

		ModelRequest later = model.requests().getLast();
		assertThat(files(later)).hasSize(2);
		assertThat(files(later).get(0).bytes()).isEqualTo(NOTES);
		assertThat(files(later).get(1).mimeType()).isEqualTo("application/pdf");
		assertThat(later.history()).filteredOn(turn -> !turn.attachments().isEmpty())
			.extracting(Turn::author)
			.containsOnly(Author.USER);
		assertThat(later.lastUserText()).isEqualTo("and the second file?");
	}

	@Test
	void aPromptOfFilesAloneIsSentAndAnEditedPromptKeepsItsFiles() {
		model.when("", chunks("A note."));
		ChatMessage reply = streaming.send(alice, pane.id(), "  ",
				List.of(new NewAttachment("notes.txt", "text/plain", NOTES, null, null)));
		awaitEnd(reply.id());
		ChatMessage prompt = messageStore.currentPath(alice, pane.id()).getFirst();
		assertThat(prompt.attachments()).extracting(a -> a.name()).containsExactly("notes.txt");
		assertThat(files(model.requests().getLast())).singleElement()
			.satisfies(file -> assertThat(file.bytes()).isEqualTo(NOTES));

		model.when("summarise", chunks("Tuesday."));
		awaitEnd(streaming.edit(alice, prompt.id(), "summarise the file").id());

		assertThat(files(model.requests().getLast())).singleElement()
			.satisfies(file -> assertThat(file.bytes()).isEqualTo(NOTES));
		assertThat(messageStore.currentPath(alice, pane.id()).getFirst().attachments()).hasSize(1);
	}

	@Test
	void aPromptWithNeitherTextNorFilesIsStillRefused() {
		assertThatThrownBy(() -> streaming.send(alice, pane.id(), " ", List.of()))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessage("Type a message first.");
	}

}
