package dev.streamchat.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.testing.FakeChatModel;
import dev.streamchat.testing.FakeModelTestSupport;
import dev.streamchat.testing.FlakyDatabase;
import org.junit.jupiter.api.Test;

import static dev.streamchat.testing.FakeChatModel.chunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database drops out while an answer streams: the screen goes on, and storage catches
 * up or says so.
 */
class DatabaseOutageTest extends FakeModelTestSupport {

	static List<String> words(int count) {
		List<String> words = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			words.add("w" + i + " ");
		}
		return words;
	}

	@Test
	void appendsThatFailWhileStreamingAreRetriedAndNothingIsLost() {
		CountDownLatch resume = new CountDownLatch(1);
		FakeChatModel.Round script = chunks(words(200)).holdAfter(100, resume);
		model.when("outage", script);
		// the appends fail from the start: with the outage set after the first words, a
		// loaded machine sometimes stored all 100 before it began, and nothing was behind
		database.fail(FlakyDatabase.Outage.APPENDS);
		ChatMessage reply = streaming.send(alice, pane.id(), "outage while streaming");
		await().atMost(Duration.ofSeconds(10)).until(() -> shownText().contains("w99 "));
		String storedDuringOutage = messageStore.storedText(reply.id());
		assertThat(storedDuringOutage.length()).as("storage is behind the screen").isLessThan(shownText().length());
		String shownBeforeRecovery = shownText();
		database.recover();

		// the model is still held, so the end-of-reply write (which stores the whole
		// text) has not happened: only the retried appends can bring storage level with
		// the screen
		await().atMost(Duration.ofSeconds(10))
			.until(() -> messageStore.storedText(reply.id()).equals(shownBeforeRecovery));
		assertThat(messageStore.stored(reply.id()).orElseThrow().status()).isEqualTo(MessageStatus.STREAMING);
		resume.countDown();

		await().atMost(Duration.ofSeconds(20))
			.until(() -> messageStore.stored(reply.id()).orElseThrow().status().isFinal());
		ChatMessage done = messageStore.stored(reply.id()).orElseThrow();
		assertThat(done.status()).isEqualTo(MessageStatus.COMPLETE);
		assertThat(done.text()).isEqualTo(script.text());
	}

	@Test
	void aDatabaseThatStaysDownEndsTheAnswerWithAPlainMessageNotAStackTrace() {
		CountDownLatch resume = new CountDownLatch(1);
		model.when("down", chunks(words(30)).holdAfter(10, resume));
		ChatMessage reply = streaming.send(alice, pane.id(), "database down for good");
		await().atMost(Duration.ofSeconds(10)).until(() -> shownText().contains("w9 "));

		database.fail(FlakyDatabase.Outage.ALL_WRITES);
		resume.countDown();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> events.stream().anyMatch(e -> e instanceof MessageEvent.Finished));
		MessageEvent.Finished finished = events.stream()
			.filter(e -> e instanceof MessageEvent.Finished)
			.map(e -> (MessageEvent.Finished) e)
			.findFirst()
			.orElseThrow();
		assertThat(finished.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(finished.error()).startsWith("The answer could not be saved").doesNotContain("Exception");
		assertThat(shownText()).as("the screen got every word").isEqualTo(String.join("", words(30)));

		database.recover();
		assertThat(messageStore.stored(reply.id()).orElseThrow().text()).as("what was stored before the outage is kept")
			.startsWith("w0 ");
	}

}
