package dev.streamchat.model.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.streamchat.model.FileTransferProperties;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelProperties;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelRequest.Author;
import dev.streamchat.model.ModelRequest.Turn;
import dev.streamchat.model.ModelStream;
import dev.streamchat.testing.FakeGemini;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attachments through the real google-genai SDK against the fake: inline parts, Files API
 * uploads, expiry.
 */
class GeminiAttachmentsTest {

	static FakeGemini fake;

	@BeforeAll
	static void startFake() {
		fake = FakeGemini.start();
	}

	@AfterAll
	static void stopFake() {
		fake.close();
	}

	@BeforeEach
	void reset() {
		fake.reset();
	}

	/** Files up to 1 KB go inline, at most 3 KB of them per request. */
	static GeminiChatModel model() {
		return new GeminiChatModel(
				new ModelProperties("secret-key", fake.baseUrl(), "v1beta", List.of("gemini-2.5-flash"),
						"gemini-2.5-flash", Duration.ofSeconds(2), Duration.ofSeconds(10), false,
						new ModelProperties.Demo(Duration.ZERO, Duration.ZERO)),
				new FileTransferProperties(DataSize.ofKilobytes(1), DataSize.ofKilobytes(3), Duration.ofMinutes(10),
						Duration.ofSeconds(5)),
				JsonMapper.builder().build());
	}

	/**
	 * An attachment held in memory, recording what the adapter remembered of its upload.
	 */
	static final class File implements ModelRequest.Attachment {

		final String name;

		final String type;

		final byte[] bytes;

		ModelRequest.@Nullable RemoteFile remote;

		final List<ModelRequest.RemoteFile> remembered = new ArrayList<>();

		File(String name, String type, byte[] bytes, ModelRequest.@Nullable RemoteFile remote) {
			this.name = name;
			this.type = type;
			this.bytes = bytes;
			this.remote = remote;
		}

		static File of(String name, String type, int size) {
			byte[] bytes = new byte[size];
			for (int i = 0; i < size; i++) {
				bytes[i] = (byte) (i * 31 + name.length());
			}
			return new File(name, type, bytes, null);
		}

		public String name() {
			return name;
		}

		public String mimeType() {
			return type;
		}

		public long size() {
			return bytes.length;
		}

		public @Nullable Integer width() {
			return null;
		}

		public @Nullable Integer height() {
			return null;
		}

		public byte[] bytes() {
			return bytes;
		}

		public Optional<ModelRequest.RemoteFile> remote() {
			return Optional.ofNullable(remote);
		}

		public void remember(ModelRequest.RemoteFile uploaded) {
			remote = uploaded;
			remembered.add(uploaded);
		}

	}

	static List<ModelChunk> send(GeminiChatModel model, List<Turn> history) {
		try (ModelStream stream = model.stream(new ModelRequest("gemini-2.5-flash", history))) {
			List<ModelChunk> chunks = new ArrayList<>();
			ModelChunk chunk;
			while ((chunk = stream.next()) != null) {
				chunks.add(chunk);
			}
			return chunks;
		}
	}

	@Test
	void smallFilesTravelInlineBeforeThePromptText() {
		File image = File.of("cat.png", "image/png", 600);
		File notes = File.of("notes.txt", "text/plain", 300);
		try (GeminiChatModel model = model()) {
			send(model, List.of(new Turn(Author.USER, "What is in these?", List.of(), List.of(image, notes))));
		}

		FakeGemini.RecordedRequest request = fake.requests().getFirst();
		assertThat(request.inlineData()).hasSize(2);
		assertThat(request.inlineData().get(0).mimeType()).isEqualTo("image/png");
		assertThat(request.inlineData().get(0).bytes()).isEqualTo(image.bytes);
		assertThat(request.inlineData().get(1).bytes()).isEqualTo(notes.bytes);
		assertThat(request.inlineData()).allSatisfy(part -> assertThat(part.role()).isEqualTo("user"));
		assertThat(request.lastUserText()).isEqualTo("What is in these?");
		assertThat(request.fileData()).isEmpty();
		assertThat(fake.uploads()).isEmpty();
	}

	@Test
	void aLargeFileIsUploadedOnceThroughTheFilesApiAndReferredToInLaterTurns() {
		// 9 MB: more than one of the SDK's 8 MB upload chunks
		File pdf = File.of("report.pdf", "application/pdf", 9 * 1024 * 1024 + 5);
		try (GeminiChatModel model = model()) {
			send(model, List.of(new Turn(Author.USER, "Summarise", List.of(), List.of(pdf))));
			send(model, List.of(new Turn(Author.USER, "Summarise", List.of(), List.of(pdf)),
					new Turn(Author.MODEL, "It is a report."), new Turn(Author.USER, "And page two?")));
		}

		assertThat(fake.uploads()).singleElement().satisfies(upload -> {
			assertThat(upload.bytes()).isEqualTo(pdf.bytes);
			assertThat(upload.mimeType()).isEqualTo("application/pdf");
			assertThat(upload.displayName()).isEqualTo("report.pdf");
		});
		String uri = fake.uploads().getFirst().uri();
		assertThat(pdf.remembered).singleElement().satisfies(remote -> {
			assertThat(remote.uri()).isEqualTo(uri);
			assertThat(remote.expiresAt()).isAfter(Instant.now().plus(Duration.ofHours(47)));
		});
		assertThat(fake.requests()).hasSize(2).allSatisfy(request -> {
			assertThat(request.fileData()).singleElement()
				.isEqualTo(new FakeGemini.FileRef("user", "application/pdf", uri));
			assertThat(request.inlineData()).isEmpty();
		});
		assertThat(fake.requests().getLast().lastUserText()).isEqualTo("And page two?");
	}

	@Test
	void anExpiredRemoteCopyIsUploadedAgainBeforeTheRequest() {
		File audio = File.of("talk.mp3", "audio/mpeg", 4096);
		audio.remote = new ModelRequest.RemoteFile(fake.baseUrl() + "/v1beta/files/long-gone",
				Instant.now().minus(Duration.ofHours(1)));
		try (GeminiChatModel model = model()) {
			assertThat(send(model, List.of(new Turn(Author.USER, "Transcribe", List.of(), List.of(audio)))))
				.isNotEmpty();
		}

		assertThat(fake.uploads()).singleElement()
			.satisfies(upload -> assertThat(upload.bytes()).isEqualTo(audio.bytes));
		assertThat(fake.requests().getFirst().fileData()).extracting(FakeGemini.FileRef::uri)
			.containsExactly(fake.uploads().getFirst().uri());
		assertThat(audio.remembered).hasSize(1);
	}

	@Test
	void aLiveRemoteCopyIsReusedWithoutUploading() {
		File first = File.of("a.wav", "audio/wav", 2048);
		try (GeminiChatModel model = model()) {
			send(model, List.of(new Turn(Author.USER, "one", List.of(), List.of(first))));
			send(model, List.of(new Turn(Author.USER, "one", List.of(), List.of(first)), new Turn(Author.MODEL, "ok"),
					new Turn(Author.USER, "two")));
		}
		assertThat(fake.uploads()).hasSize(1);
	}

	@Test
	void inlineFilesStayWithinTheRequestBudgetAndTheRestAreUploaded() {
		List<ModelRequest.Attachment> images = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			images.add(File.of("p" + i + ".png", "image/png", 1000));
		}
		try (GeminiChatModel model = model()) {
			send(model, List.of(new Turn(Author.USER, "compare", List.of(), images)));
		}
		FakeGemini.RecordedRequest request = fake.requests().getFirst();
		assertThat(request.inlineData()).hasSize(3);
		assertThat(request.fileData()).hasSize(2);
		assertThat(fake.uploads()).hasSize(2);
	}

	@Test
	void aRequestNamingAFileTheServiceDoesNotHaveFailsWithItsMessage() {
		// a copy the app believes alive, which the service has lost: Gemini's own refusal
		// reaches the user
		File big = new File("y.pdf", "application/pdf", new byte[2048], new ModelRequest.RemoteFile(
				fake.baseUrl() + "/v1beta/files/unknown", Instant.now().plus(Duration.ofHours(5))));
		try (GeminiChatModel model = model()) {
			assertThatThrownBy(() -> send(model, List.of(new Turn(Author.USER, "read", List.of(), List.of(big)))))
				.isInstanceOfSatisfying(ModelException.class, e -> assertThat(e.getMessage()).contains("403"));
		}
		assertThat(fake.uploads()).isEmpty();
	}

}
