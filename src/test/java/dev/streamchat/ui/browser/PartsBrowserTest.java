package dev.streamchat.ui.browser;

import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Panes;
import dev.streamchat.chat.ReplyWriter;

import java.util.Map;

import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.SlowTool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of an answer as a browser shows them: thinking, a tool card with its spinner, stats. */
class PartsBrowserTest extends BrowserTestSupport {

    @Autowired
    Panes paneStore;

    @Autowired
    Messages messageStore;

    @Autowired
    ReplyWriter replyWriter;
    @Autowired
    dev.streamchat.security.UserAccounts accounts;

    @Test
    void thinkingAndAToolCallStreamLiveIntoASecondTabAndSurviveAReload() {
        fake.when("inventory", Reply.events(Chunk.thought("**Planning** a lookup. "), Chunk.thought("I need "),
                Chunk.thought("the "), Chunk.thought("stock."),
                Chunk.text("Let me look that up."), Chunk.call(SlowTool.NAME, Map.of("millis", 1000)))
                .every(java.time.Duration.ofMillis(250)));
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
        second.waitUntil(() -> watching.lastReply() != null && watching.lastReply().showsThinking());
        second.waitUntil(() -> watching.lastReply().thinkingText().contains("Planning"));
        assertThat(watching.lastReply().isThinkingOpen()).isTrue();
        // then the tool runs: a spinning card under the text, and the thinking folds away
        second.waitUntil(() -> !watching.lastReply().toolCards().isEmpty());
        ToolCardElement card = watching.lastReply().toolCards().getFirst();
        assertThat(card.name()).isEqualTo(SlowTool.NAME);
        assertThat(card.arguments()).isEqualTo("{\"millis\":1000}");
        assertThat(card.status()).isEqualTo("running…");
        assertThat(card.showsSpinner()).isTrue();
        assertThat(watching.lastReply().isThinkingOpen()).isFalse();
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
     * Measures (does not assert) how long a 5 000-message conversation takes to show, and that
     * scrolling up fetches the older messages; figures go to target/figures/paging.txt.
     */
    @Test
    void aFiveThousandMessageConversationOpensWithItsLatestPageAndScrollingUpLoadsOlderOnes() throws Exception {
        var alice = accounts.find(dev.streamchat.testing.TestUsers.ALICE).orElseThrow();
        var pane = paneStore.createPane(alice, "gemini-2.5-flash");
        // baseline: the same page with this pane still empty (sign-in, bootstrap, the other panes)
        ChatPage.open(driver, baseUrl());
        long baselineStart = System.nanoTime();
        driver.navigate().refresh();
        ChatPage empty = new ChatPage(driver);
        empty.waitUntil(() -> !driver.findElements(org.openqa.selenium.By.cssSelector(
                ".pane[data-pane-id='" + pane.id() + "'] .prompt")).isEmpty());
        long baselineMillis = (System.nanoTime() - baselineStart) / 1_000_000;
        for (int i = 0; i < 2500; i++) {
            messageStore.addUserMessage(pane.id(), "question " + i + ": what about **item " + i + "**?");
            var reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
            replyWriter.finish(reply.id(), "Answer " + i + ": item " + i + " is *fine*.\n\n- one\n- two",
                    new dev.streamchat.chat.Outcome(dev.streamchat.chat.MessageStatus.COMPLETE, null, "STOP", null));
        }
        long serverStart = System.nanoTime();
        int firstPage = messageStore.page(alice, pane.id(), null, 50).size();
        long pageMillis = (System.nanoTime() - serverStart) / 1_000_000;
        serverStart = System.nanoTime();
        int all = messageStore.history(alice, pane.id()).size();
        long historyMillis = (System.nanoTime() - serverStart) / 1_000_000;
        String paneId = pane.id().toString();
        try {
            measureOpeningAndScrollingUp(paneId, pageMillis, firstPage, historyMillis, all, baselineMillis);
        } finally {
            // closed again so that later tests do not render it
            paneStore.closePane(alice, pane.id());
        }
    }

    private void measureOpeningAndScrollingUp(String paneId, long pageMillis, int firstPage, long historyMillis,
                                              int all, long baselineMillis) throws java.io.IOException {
        ChatPage.open(driver, baseUrl()); // signed in, warmed up

        long start = System.nanoTime();
        driver.navigate().refresh();
        ChatPage page = new ChatPage(driver);
        page.waitUntil(() -> {
            try {
                MessageElement last = page.pane(paneId).lastReply();
                return last != null && last.text().contains("Answer 2499");
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        long shownMillis = (System.nanoTime() - start) / 1_000_000;
        PaneElement shown = page.pane(paneId);
        int before = shown.messages().size();

        start = System.nanoTime();
        shown.scrollToTop();
        page.waitUntil(() -> shown.messages().size() > before);
        long olderMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(before).isEqualTo(50);
        assertThat(shown.messages().getFirst().text()).contains("question 2450");
        assertThat(shown.messages().size()).isEqualTo(100);
        String figures = """
                Opening a 5 000-message conversation (2 500 exchanges, markdown answers), H2 in memory, 2 cores:
                  server: latest page of 50 read in %d ms (%d messages); the whole history reads in %d ms (%d messages)
                  browser: reload until the latest answer is on screen: %d ms (50 messages rendered);
                           the same reload with this pane empty: %d ms (sign-in session, Vaadin bootstrap, the user's other open panes)
                  browser: scroll to the top until the previous 50 are shown: %d ms
                """.formatted(pageMillis, firstPage, historyMillis, all, shownMillis, baselineMillis, olderMillis);
        System.out.print(figures);
        java.nio.file.Path out = java.nio.file.Path.of("target", "figures", "paging.txt");
        java.nio.file.Files.createDirectories(out.getParent());
        java.nio.file.Files.writeString(out, figures);
    }
}
