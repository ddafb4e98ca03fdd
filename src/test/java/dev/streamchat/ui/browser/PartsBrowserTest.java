package dev.streamchat.ui.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Chunk;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.SlowTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of an answer as a browser shows them: thinking, a tool card with its spinner, stats. */
@AppTest
class PartsBrowserTest {

    static ChromeDriver driver;

    @LocalServerPort
    int port;
    @Autowired
    FakeGemini fake;

    @BeforeAll
    static void startBrowser() {
        driver = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @BeforeEach
    void setUp() {
        fake.reset();
        List<String> handles = new ArrayList<>(driver.getWindowHandles());
        for (int i = 1; i < handles.size(); i++) {
            driver.switchTo().window(handles.get(i)).close();
        }
        driver.switchTo().window(handles.getFirst());
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    @Test
    void thinkingAndAToolCallStreamLiveIntoASecondTabAndSurviveAReload() {
        fake.when("inventory", Reply.events(Chunk.thought("**Planning** a lookup. "), Chunk.thought("I need the stock."),
                Chunk.text("Let me look that up."), Chunk.call(SlowTool.NAME, Map.of("millis", 1000)))
                .every(java.time.Duration.ofMillis(250)));
        fake.when("inventory", Reply.chunks("\n\nThere are **42 widgets** in stock.").usage(30, 12, 64));
        ChatPage first = ChatPage.open(driver, baseUrl());
        String paneId = first.addPane().paneId();
        String firstTab = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        ChatPage second = ChatPage.open(driver, baseUrl());
        String secondTab = driver.getWindowHandle();

        driver.switchTo().window(firstTab);
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
}
