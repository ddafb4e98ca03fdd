package dev.streamchat.attachments.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.streamchat.attachments.AttachmentProperties;
import dev.streamchat.chat.AttachmentStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes the files of deleted conversations once
 * {@code chat.attachments.purge-deleted-after} has passed (a deleted conversation only
 * gets marked, for Undo; its files should not stay for ever). Every node may run it: the
 * delete is one statement, and two nodes deleting the same rows is harmless.
 */
@Component
class DeletedFilesPurge implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeletedFilesPurge.class);

	private final AttachmentStore attachments;

	private final Duration after;

	private @Nullable ScheduledExecutorService timer;

	DeletedFilesPurge(AttachmentStore attachments, AttachmentProperties properties) {
		this.attachments = attachments;
		this.after = properties.purgeDeletedAfter();
	}

	void purge() {
		try {
			int purged = attachments.purgeDeleted(after);
			if (purged > 0) {
				log.info("Deleted {} files of conversations deleted more than {} ago", purged, after);
			}
		}
		catch (RuntimeException e) {
			log.warn("Purging the files of deleted conversations failed; trying again later", e);
		}
	}

	@Override
	public void start() {
		timer = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("attachment-purge").factory());
		long every = Math.max(60, Math.min(after.toSeconds(), 3600));
		timer.scheduleWithFixedDelay(this::purge, every, every, TimeUnit.SECONDS);
	}

	@Override
	public void stop() {
		if (timer != null) {
			timer.shutdownNow();
			timer = null;
		}
	}

	@Override
	public boolean isRunning() {
		return timer != null;
	}

}
