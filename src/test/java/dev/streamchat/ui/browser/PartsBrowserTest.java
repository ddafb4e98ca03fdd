package dev.streamchat.ui.browser;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.Usage;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.SlowTool;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of an answer as a browser shows them: thinking, a tool card with its spinner,
 * stats.
 */
class PartsBrowserTest extends BrowserTestSupport {

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	ReplyWriter replyWriter;

	@Autowired
	UserAccounts accounts;

	@Test
	void thinkingAndAToolCallStreamLiveIntoASecondTabAndSurviveAReload() {
		SlowTool.Gate lookup = SlowTool.newGate();
		CountDownLatch thoughtsSeen = new CountDownLatch(1);
		fake.when("inventory",
				Reply
					.events(Chunk.thought("**Planning** a lookup. "), Chunk.thought("I need "), Chunk.thought("the "),
							Chunk.thought("stock."), Chunk.text("Let me look that up."),
							Chunk.call(SlowTool.NAME, Map.of("gate", lookup.key())))
					.every(Duration.ofMillis(250))
					// the thoughts stay alone until the test has seen them open: once the
					// answer starts they fold away, which a loaded machine reached before
					// the test looked (seen with three forks)
					.holdAfter(4, thoughtsSeen));
		fake.when("inventory", Reply.chunks("\n\nThere are **42 widgets** in stock.").usage(30, 12, 64));
		TwoTabs tabs = newPaneInTwoTabs();
		String paneId = tabs.paneId();
		ChatPage first = tabs.firstPage();
		ChatPage second = tabs.secondPage();
		String secondTab = tabs.secondTab();

		first.pane(paneId).send("check the inventory");

		driver.switchTo().window(secondTab);
		PaneElement watching = second.pane(paneId);
		// thoughts arrive first, in an open section
		second.waitUntil(() -> watching.hasReply() && watching.lastReply().showsThinking());
		second.waitUntil(() -> watching.lastReply().thinkingText().contains("Planning"));
		assertThat(watching.lastReply().isThinkingOpen()).isTrue();
		thoughtsSeen.countDown();
		// then the tool runs: a spinning card under the text, and the thinking folds away
		second.waitUntil(() -> !watching.lastReply().toolCards().isEmpty());
		ToolCardElement card = watching.lastReply().toolCards().getFirst();
		assertThat(card.name()).isEqualTo(SlowTool.NAME);
		assertThat(card.arguments()).isEqualTo("{\"gate\":\"" + lookup.key() + "\"}");
		assertThat(card.status()).isEqualTo("running…");
		assertThat(card.showsSpinner()).isTrue();
		assertThat(watching.lastReply().isThinkingOpen()).isFalse();
		lookup.open();
		// the result, and the answer going on in the same bubble
		second.waitUntil(() -> !watching.lastReply().isStreaming());
		MessageElement reply = watching.lastReply();
		card = reply.toolCards().getFirst();
		assertThat(card.status()).isEqualTo("done");
		assertThat(card.showsSpinner()).isFalse();
		assertThat(card.result()).contains("42 widgets");
		String text = reply.text();
		assertThat(text.indexOf("Let me look that up.")).isLessThan(text.indexOf(SlowTool.NAME));
		assertThat(text.indexOf(SlowTool.NAME)).isLessThan(text.indexOf("There are 42 widgets in stock."));
		assertThat(reply.stats()).contains("64 thinking");
		// collapsed, and reopenable
		reply.toggleThinking();
		second.waitUntil(reply::isThinkingOpen);
		assertThat(reply.thinkingText()).contains("I need the stock.");

		driver.navigate().refresh();
		ChatPage reloaded = new ChatPage(driver);
		reloaded.waitUntil(() -> !reloaded.panes().isEmpty());
		MessageElement stored = reloaded.pane(paneId).lastReply();
		assertThat(stored.toolCards()).singleElement().satisfies(c -> assertThat(c.result()).contains("42 widgets"));
		assertThat(stored.showsThinking()).isTrue();
		assertThat(stored.isThinkingOpen()).isFalse();
	}

	/**
	 * A long conversation opens with its latest page only, and scrolling to the top
	 * fetches the page before it. (How long a 5 000-message one takes is a benchmark
	 * question, not this test's.)
	 */
	@Test
	void aLongConversationOpensWithItsLatestPageAndScrollingUpLoadsOlderOnes() {
		var alice = accounts.find(TestUsers.ALICE).orElseThrow();
		var pane = paneStore.create(alice, "gemini-2.5-flash");
		for (int i = 0; i < EXCHANGES; i++) {
			messageStore.addUserMessage(pane.owner(), pane.id(), "question " + i + ": what about **item " + i + "**?");
			var reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
			replyWriter.finish(reply.id(), "Answer " + i + ": item " + i + " is *fine*.\n\n- one\n- two",
					new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
		}
		String paneId = pane.id().toString();
		try {
			ChatPage page = ChatPage.open(driver, baseUrl());
			page.waitUntil(() -> {
				try {
					return page.pane(paneId).lastReply().text().contains("Answer " + (EXCHANGES - 1));
				}
				catch (NoSuchElementException | StaleElementReferenceException e) {
					return false;
				}
			});
			PaneElement shown = page.pane(paneId);
			assertThat(shown.messages()).hasSize(50);
			assertThat(shown.messages().getFirst().text()).contains("question " + (EXCHANGES - 25));

			shown.scrollToTop();
			page.waitUntil(() -> shown.messages().size() > 50);
			assertThat(shown.messages()).hasSize(100);
			assertThat(shown.messages().getFirst().text()).contains("question " + (EXCHANGES - 50));
		}
		finally {
			// closed again so that later tests do not render it
			paneStore.close(alice, pane.id());
		}
	}

	/**
	 * Three pages and a bit: enough that the first page and the one above it are both
	 * partial views.
	 */
	private static final int EXCHANGES = 160;

}
