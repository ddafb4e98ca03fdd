package dev.streamchat.streaming;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.StreamingTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A prompt's files stay in the conversation: the model gets them with every later turn,
 * and an edit keeps them.
 */
class AttachmentTurnsTest extends StreamingTestSupport {

	static final byte[] NOTES = "the launch is on Tuesday".getBytes(StandardCharsets.UTF_8);
	static final byte[] PDF = "%PDF-1.4 agenda %%EOF".getBytes(StandardCharsets.US_ASCII);

	@Test
	void laterTurnsStillSendTheFilesOfEarlierPrompts() {
		fake.when("read these", Reply.chunks("Read them."));
		awaitEnd(streaming.send(alice, pane.id(), "read these",
				List.of(new NewAttachment("notes.txt", "text/plain", NOTES, null, null),
						new NewAttachment("agenda.pdf", "application/pdf", PDF, null, null)))
			.id());
		fake.when("and the second", Reply.chunks("The agenda."));

		awaitEnd(streaming.send(alice, pane.id(), "and the second file?").id());

		FakeGemini.RecordedRequest later = fake.requests().getLast();
		assertThat(later.inlineData()).hasSize(2);
		assertThat(later.inlineData().get(0).bytes()).isEqualTo(NOTES);
		assertThat(later.inlineData().get(1).mimeType()).isEqualTo("application/pdf");
		assertThat(later.inlineData()).allSatisfy(part -> assertThat(part.role()).isEqualTo("user"));
		assertThat(later.lastUserText()).isEqualTo("and the second file?");
	}

	@Test
	void aPromptOfFilesAloneIsSentAndAnEditedPromptKeepsItsFiles() {
		fake.when("", Reply.chunks("A note."));
		ChatMessage reply = streaming.send(alice, pane.id(), "  ",
				List.of(new NewAttachment("notes.txt", "text/plain", NOTES, null, null)));
		awaitEnd(reply.id());
		ChatMessage prompt = messageStore.currentPath(alice, pane.id()).getFirst();
		assertThat(prompt.attachments()).extracting(a -> a.name()).containsExactly("notes.txt");
		assertThat(fake.requests().getLast().inlineData()).singleElement()
			.satisfies(part -> assertThat(part.bytes()).isEqualTo(NOTES));

		fake.when("summarise", Reply.chunks("Tuesday."));
		awaitEnd(streaming.edit(alice, prompt.id(), "summarise the file").id());

		assertThat(fake.requests().getLast().inlineData()).singleElement()
			.satisfies(part -> assertThat(part.bytes()).isEqualTo(NOTES));
		assertThat(messageStore.currentPath(alice, pane.id()).getFirst().attachments()).hasSize(1);
	}

	@Test
	void aPromptWithNeitherTextNorFilesIsStillRefused() {
		assertThatThrownBy(() -> streaming.send(alice, pane.id(), " ", List.of()))
			.isInstanceOf(PromptRejectedException.class)
			.hasMessage("Type a message first.");
	}

}
