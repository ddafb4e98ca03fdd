package dev.streamchat.ui;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.server.Command;
import com.vaadin.flow.server.streams.UploadEvent;
import com.vaadin.flow.server.streams.UploadHandler;
import dev.streamchat.attachments.AttachmentIntake;
import dev.streamchat.attachments.AttachmentRejectedException;
import dev.streamchat.chat.NewAttachment;
import org.jspecify.annotations.Nullable;

/**
 * The files attached to the prompt being written, as chips above it. The browser
 * announces each file ({@link #begin}), which makes its chip and admits it by its
 * declared size, then sends its bytes to {@link #uploads()}; the intake checks them as
 * they arrive and the chip turns ready or says why not. Accepted files stay in memory
 * here until Send stores them with the prompt; a refused, removed or abandoned file is
 * simply dropped, so nothing half-stored remains.
 * <p>
 * State is touched only under the session lock: the upload's thread reads the bytes
 * without it, then hands the result over with {@link UI#access}.
 */
final class AttachmentTray extends Div {

	private final AttachmentIntake intake;

	private final Map<String, Entry> entries = new LinkedHashMap<>();

	/**
	 * What the upload thread may look up without the lock: token → declared name and
	 * size.
	 */
	private final Map<String, Entry> announced = new ConcurrentHashMap<>();

	private static final class Entry {

		final String name;

		final long declaredSize;

		final AttachmentChip chip;

		@Nullable NewAttachment file;

		boolean failed;

		Entry(String name, long declaredSize, AttachmentChip chip) {
			this.name = name;
			this.declaredSize = declaredSize;
			this.chip = chip;
		}

	}

	AttachmentTray(AttachmentIntake intake) {
		this.intake = intake;
		addClassName("attachment-tray");
		getElement().setAttribute("aria-label", "Attached files");
		getElement().setAttribute("role", "list");
	}

	/**
	 * A file the browser is about to send: its chip appears at once.
	 * @return the token its upload carries, or null when it cannot be attached (the chip
	 * says why)
	 */
	@Nullable String begin(String name, long size, String browserType) {
		String cleanName = AttachmentIntake.cleanName(name);
		String token = UUID.randomUUID().toString();
		AttachmentChip chip = AttachmentChip.pending(token, cleanName, size, browserType, () -> remove(token));
		chip.getElement().setAttribute("role", "listitem");
		Entry entry = new Entry(cleanName, size, chip);
		long held = 0;
		int count = 0;
		for (Entry other : entries.values()) {
			if (!other.failed) {
				held += other.file != null ? other.file.size() : Math.max(other.declaredSize, 0);
				count++;
			}
		}
		entries.put(token, entry);
		add(chip);
		try {
			intake.admit(cleanName, size, held, count);
		}
		catch (AttachmentRejectedException refused) {
			fail(entry, String.valueOf(refused.getMessage()));
			return null;
		}
		announced.put(token, entry);
		return token;
	}

	/** The browser could not finish sending the file (connection lost, aborted). */
	void uploadFailed(String token, String reason) {
		Entry entry = entries.get(token);
		if (entry != null && entry.file == null && !entry.failed) {
			fail(entry,
					"The upload of %s was cut off (%s); nothing was kept. Try again.".formatted(entry.name, reason));
		}
	}

	/**
	 * Where the browser sends a file's bytes: {@code POST <url>?t=<token>}, the body
	 * being the file.
	 */
	UploadHandler uploads() {
		return new UploadHandler() {
			@Override
			public void handleUploadRequest(UploadEvent event) {
				String token = event.getRequest().getParameter("t");
				Entry entry = token == null ? null : announced.remove(token);
				if (entry == null) {
					event.reject("unknown upload");
					return;
				}
				UI ui = event.getUI();
				try (InputStream in = event.getInputStream()) {
					NewAttachment file = intake.receive(entry.name, entry.declaredSize, in);
					hand(ui, () -> accept(token, file));
				}
				catch (AttachmentRejectedException refused) {
					hand(ui, () -> {
						Entry current = entries.get(token);
						if (current != null) {
							fail(current, String.valueOf(refused.getMessage()));
						}
					});
				}
				catch (IOException closing) {
					// the bytes were read or refused already; closing the request stream
					// changes nothing
				}
			}

			/**
			 * Gives the result to the tab; a tab closed meanwhile gets nothing, and the
			 * file is dropped.
			 */
			private void hand(UI ui, Command change) {
				try {
					ui.access(change);
				}
				catch (UIDetachedException closed) {
					// nobody to show it to
				}
			}

			@Override
			public long getRequestSizeMax() {
				return intake.limits().maxFileSize().toBytes() + 1;
			}
		};
	}

	private void accept(String token, NewAttachment file) {
		Entry entry = entries.get(token);
		if (entry == null || entry.failed) {
			return; // removed (or given up) while it travelled: dropped
		}
		entry.file = file;
		entry.chip.ready(file);
	}

	private void fail(Entry entry, String reason) {
		entry.failed = true;
		entry.file = null;
		entry.chip.failed(reason);
	}

	private void remove(String token) {
		Entry entry = entries.remove(token);
		announced.remove(token);
		if (entry != null) {
			remove(entry.chip);
		}
	}

	/** Whether a file is still on its way (Send waits for it). */
	boolean uploading() {
		return entries.values().stream().anyMatch(e -> e.file == null && !e.failed);
	}

	/** The files ready to go with the prompt, in the order they were attached. */
	List<NewAttachment> files() {
		List<NewAttachment> files = new ArrayList<>();
		entries.values().stream().filter(e -> e.file != null).forEach(e -> files.add(e.file));
		return files;
	}

	/**
	 * After Send: the files went with the prompt; refused ones, whose messages were seen,
	 * go too.
	 */
	void clear() {
		entries.clear();
		announced.clear();
		removeAll();
	}

}
