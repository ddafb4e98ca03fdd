package dev.streamchat.model.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.google.genai.Client;
import com.google.genai.types.File;
import com.google.genai.types.FileData;
import com.google.genai.types.FileState;
import com.google.genai.types.Part;
import com.google.genai.types.UploadFileConfig;
import dev.streamchat.model.FileTransferProperties;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelRequest;

/**
 * Attachments as Gemini parts: small files inline ({@code inlineData}), the rest through
 * the Files API ({@code fileData}), uploaded when there is no live copy yet, or it has
 * expired or is about to (Gemini keeps an upload 48 h). One {@link Plan} per request
 * keeps the inline bytes under budget.
 */
final class GeminiFiles {

	private final Client client;

	private final FileTransferProperties settings;

	private final Clock clock;

	GeminiFiles(Client client, FileTransferProperties settings, Clock clock) {
		this.client = client;
		this.settings = settings;
		this.clock = clock;
	}

	Plan plan(CancellableCall call) {
		return new Plan(call);
	}

	/**
	 * Decides, file by file and in conversation order, how each travels in one request.
	 */
	final class Plan {

		private final CancellableCall call;

		private long inlineBytes;

		private Plan(CancellableCall call) {
			this.call = call;
		}

		Part part(ModelRequest.Attachment file) {
			boolean small = file.size() <= settings.inlineMaxSize().toBytes();
			if (small && inlineBytes + file.size() <= settings.inlineRequestMax().toBytes()) {
				inlineBytes += file.size();
				return Part.fromBytes(file.bytes(), file.mimeType());
			}
			ModelRequest.RemoteFile remote = live(file.remote()).orElseGet(() -> upload(file));
			return Part.builder()
				.fileData(FileData.builder().fileUri(remote.uri()).mimeType(file.mimeType()).build())
				.build();
		}

		private Optional<ModelRequest.RemoteFile> live(Optional<ModelRequest.RemoteFile> remote) {
			Instant usableUntil = clock.instant().plus(settings.reuploadMargin());
			return remote.filter(r -> r.expiresAt() != null && r.expiresAt().isAfter(usableUntil));
		}

		private ModelRequest.RemoteFile upload(ModelRequest.Attachment file) {
			File uploaded = call.bind(() -> client.files.upload(file.bytes(),
					UploadFileConfig.builder().mimeType(file.mimeType()).displayName(file.name()).build()));
			uploaded = awaitActive(uploaded, file.name());
			ModelRequest.RemoteFile remote = new ModelRequest.RemoteFile(
					uploaded.uri()
						.orElseThrow(() -> new ModelException(ModelException.Kind.BAD_REQUEST, 0,
								"Gemini accepted " + file.name() + " but gave no address for it.", null)),
					uploaded.expirationTime().orElse(clock.instant().plus(Duration.ofHours(48))));
			file.remember(remote);
			return remote;
		}

		/**
		 * Some files (audio, PDF) are processed before they can be used; wait, but no
		 * longer than allowed.
		 */
		private File awaitActive(File file, String name) {
			Instant deadline = clock.instant().plus(settings.activeTimeout());
			File current = file;
			while (stateOf(current) == FileState.Known.PROCESSING) {
				if (call.isCancelled()) {
					throw new ModelException(ModelException.Kind.CANCELLED, 0,
							"Stopped while " + name + " was processed.", null);
				}
				if (clock.instant().isAfter(deadline)) {
					throw new ModelException(ModelException.Kind.SERVER, 0,
							"Gemini took too long to process " + name + "; try again later.", null);
				}
				try {
					Thread.sleep(500);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new ModelException(ModelException.Kind.CANCELLED, 0,
							"Interrupted while " + name + " was processed.", e);
				}
				String remoteName = current.name().orElseThrow();
				current = call.bind(() -> client.files.get(remoteName, null));
			}
			if (stateOf(current) == FileState.Known.FAILED) {
				throw new ModelException(ModelException.Kind.BAD_REQUEST, 0, "Gemini could not process " + name + ".",
						null);
			}
			return current;
		}

		private static FileState.Known stateOf(File file) {
			return file.state().map(FileState::knownEnum).orElse(FileState.Known.ACTIVE);
		}

	}

}
