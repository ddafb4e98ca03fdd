package dev.streamchat.ui.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.Role;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.AppNode;
import dev.streamchat.testing.ClusterAppTest;
import dev.streamchat.testing.FakeGemini;
import dev.streamchat.testing.FakeGemini.Ending;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.FakeGeminiConfiguration;
import dev.streamchat.testing.StickyProxy;
import dev.streamchat.testing.TestUsers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nodes over one real PostgreSQL, as behind a sticky load balancer: node A is a JVM of
 * its own (so it can be killed outright), node B is this test's application context. One
 * browser tab on each shows the same pane. For the rolling restart, node A and a second
 * JVM, node C, stand behind an in-test proxy ({@link StickyProxy}: what
 * {@code deploy/haproxy.cfg} does) and are each restarted once. The JVMs are started once
 * for the class and reused (a start costs about 8 s and 15 CPU-seconds).
 */
@ClusterAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeBrowserTest {

	static final Duration LEASE = Duration.ofSeconds(3);
	static final Duration HEARTBEAT = Duration.ofMillis(250);

	@LocalServerPort
	int port;

	@Autowired
	Environment environment;

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	UserAccounts accounts;

	@Autowired
	FakeGemini fake;

	@Autowired
	MessageBroadcaster broadcaster;

	AppNode nodeA;

	/**
	 * The rolling restart's second JVM (node B, the test's context, cannot be stopped).
	 */
	AppNode nodeC;

	@Autowired
	JdbcTemplate jdbc;

	ChromeDriver driver;

	String tabOnA;

	String tabOnB;

	@BeforeAll
	void startNodesAndBrowser() throws Exception {
		// both at once: the starts share the two cores, but not their waits
		try (var starting = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<AppNode> c = starting.submit(() -> AppNode.start("node-c", nodeCSettings()));
			nodeA = AppNode.start("node-a", nodeASettings(Map.of()));
			nodeC = c.get();
		}
		driver = Browser.start();
		tabOnA = driver.getWindowHandle();
		// a window each, so that neither is a background tab (whose rendering browsers
		// throttle)
		driver.switchTo().newWindow(WindowType.WINDOW);
		tabOnB = driver.getWindowHandle();
	}

	@AfterAll
	void stopAll() {
		if (driver != null) {
			driver.quit();
		}
		if (nodeA != null) {
			nodeA.close();
		}
		if (nodeC != null) {
			nodeC.close();
		}
	}

	@BeforeEach
	void resetFake() {
		fake.reset();
	}

	/** Opens the pane in the tab on each node. */
	void openOnBothNodes(Conversation pane) {
		driver.switchTo().window(tabOnA);
		ChatPage.open(driver, nodeA.baseUrl()).pane(pane.id().toString());
		driver.switchTo().window(tabOnB);
		ChatPage.open(driver, "http://localhost:" + port).pane(pane.id().toString());
	}

	/**
	 * Switches to a tab and waits until {@code condition} holds for the pane there
	 * (looked up afresh each time).
	 */
	void waitOn(String tab, Conversation pane, Predicate<PaneElement> condition) {
		driver.switchTo().window(tab);
		ChatPage page = new ChatPage(driver);
		page.waitUntil(() -> {
			try {
				return condition.test(page.pane(pane.id().toString()));
			}
			catch (StaleElementReferenceException rerendered) {
				return false;
			}
		});
	}

	PaneElement on(String tab, Conversation pane) {
		driver.switchTo().window(tab);
		return new ChatPage(driver).pane(pane.id().toString());
	}

	static boolean replyShows(PaneElement pane, String text) {
		return pane.hasReply() && pane.lastReply().text().contains(text);
	}

	@Test
	@Order(1)
	void aPromptSentOnNodeAStreamsLiveOnNodeBAndEndsWithTheModelsExactText() throws IOException {
		Conversation pane = paneStore.create(alice(), "gemini-2.5-flash");
		List<String> words = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			words.add("w" + i + "x" + (i % 10 == 9 ? "ü🚀.\n\n" : " "));
		}
		FakeGemini.Stream script = Reply.chunks(words).after(Duration.ofMillis(300)).every(Duration.ofMillis(20));
		fake.when("across nodes", script);
		Map<String, Instant> written = new ConcurrentHashMap<>();
		openOnBothNodes(pane);
		// a first, short exchange warms node A up (its first model call, JIT), so the
		// figures are not of a cold start
		fake.when("warm", Reply.chunks("warm", " up"));
		on(tabOnA, pane).send("warm up");
		waitOn(tabOnB, pane, p -> p.hasReply() && p.lastReply().hasStatus("complete"));
		watchWords(tabOnA);
		watchWords(tabOnB);
		fake.eventLog(text -> written.putIfAbsent(text.substring(0, text.indexOf('x') + 1), Instant.now()));

		on(tabOnA, pane).send("across nodes, please");

		waitOn(tabOnB, pane, p -> p.hasReply() && p.lastReply().isStreaming() && replyShows(p, "w3x"));
		assertThat(on(tabOnB, pane).sendButtonText()).as("B offers Stop while A generates").isEqualTo("Stop");
		// wait on the database, not the tabs, so that polling the browser does not
		// distort the figures
		await().atMost(Duration.ofSeconds(30))
			.until(() -> messageStore.history(alice(), pane.id()).getLast().status().isFinal());
		waitOn(tabOnB, pane, p -> p.lastReply().hasStatus("complete"));
		assertThat(normalized(on(tabOnB, pane).lastReply().text())).isEqualTo(normalized(script.fullText()));
		waitOn(tabOnA, pane, p -> p.lastReply().hasStatus("complete"));
		assertThat(normalized(on(tabOnA, pane).lastReply().text())).isEqualTo(normalized(script.fullText()));
		ChatMessage stored = messageStore.history(alice(), pane.id()).getLast();
		assertThat(stored.text()).as("byte for byte").isEqualTo(script.fullText());
		assertThat(messageStore.history(alice(), pane.id())).filteredOn(m -> m.role() == Role.ASSISTANT)
			.as("one reply per prompt, shown once on each node")
			.hasSize(2);
		assertThat(on(tabOnB, pane).replies()).hasSize(2);
		assertThat(on(tabOnA, pane).replies()).hasSize(2);
		fake.eventLog(null);

		writeLatencies(written, seenAt(tabOnA), seenAt(tabOnB));
	}

	@Test
	@Order(2)
	void stopPressedOnNodeBStopsTheGenerationOnNodeA() {
		Conversation pane = paneStore.create(alice(), "gemini-2.5-flash");
		fake.when("stop me",
				Reply.chunks("Thinking ", "about ", "it").every(Duration.ofMillis(20)).then(Ending.SILENCE));
		openOnBothNodes(pane);
		on(tabOnA, pane).send("stop me from B");
		waitOn(tabOnB, pane, p -> replyShows(p, "about it"));

		on(tabOnB, pane).clickSendOrStop();

		waitOn(tabOnB, pane, p -> p.lastReply().hasStatus("stopped"));
		assertThat(on(tabOnB, pane).lastReply().text()).isEqualTo("Thinking about it");
		ChatMessage stored = messageStore.history(alice(), pane.id()).getLast();
		assertThat(stored.status()).isEqualTo(MessageStatus.STOPPED);
		assertThat(stored.text()).isEqualTo("Thinking about it");
		await().atMost(Duration.ofSeconds(2)).until(() -> !fake.clientCloses().isEmpty());
		waitOn(tabOnA, pane, p -> p.lastReply().hasStatus("stopped"));
	}

	/**
	 * Node A's settings (its database, the fake model, short leases); {@code extra} on
	 * top.
	 */
	Map<String, String> nodeASettings(Map<String, String> extra) {
		return nodeSettings("node-a", extra);
	}

	/**
	 * Node C drains for 4 s: time enough for a reply released at the signal to finish,
	 * while one the model holds is handed over.
	 */
	Map<String, String> nodeCSettings() {
		return nodeSettings("node-c", Map.of("chat.streaming.drain-timeout", C_DRAIN.toMillis() + "ms"));
	}

	static final Duration C_DRAIN = Duration.ofSeconds(4);

	Map<String, String> nodeSettings(String nodeId, Map<String, String> extra) {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("spring.datasource.url", environment.getRequiredProperty("spring.datasource.url"));
		settings.put("spring.datasource.username", environment.getRequiredProperty("spring.datasource.username"));
		settings.put("spring.datasource.password", "");
		settings.put("chat.cluster.mode", "postgres");
		settings.put("chat.cluster.node-id", nodeId);
		settings.put("chat.cluster.heartbeat-interval", HEARTBEAT.toMillis() + "ms");
		settings.put("chat.cluster.lease-time", LEASE.toMillis() + "ms");
		settings.put("chat.model.api-key", FakeGeminiConfiguration.API_KEY);
		settings.put("chat.model.base-url", fake.baseUrl());
		settings.put("chat.security.bootstrap-user", TestUsers.ALICE);
		settings.put("chat.security.bootstrap-password", TestUsers.ALICE_PASSWORD);
		settings.put("vaadin.devmode.devTools.enabled", "false");
		// as in application-test.properties: the fake's scripts are for the chat, not for
		// titles
		settings.put("chat.history.model-titles", "false");
		settings.putAll(extra);
		return settings;
	}

	/**
	 * Replies streaming on node A, each in a pane of its own, with the script the fake
	 * answers it with.
	 */
	record Running(Conversation pane, String prompt, FakeGemini.Stream script) {
	}

	/**
	 * Scripts {@code count} replies of {@code words} words at {@code every}, each held
	 * after its 40th word until {@code gate} opens (so that the test, not the machine's
	 * speed, decides what is streaming when).
	 */
	List<Running> scriptReplies(String name, int count, int words, Duration every, CountDownLatch gate) {
		List<Running> replies = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Conversation pane = paneStore.create(alice(), "gemini-2.5-flash");
			String prompt = name + "-" + i + " please";
			FakeGemini.Stream script = Reply.chunks(words(name + i + "w", words)).every(every).holdAfter(40, gate);
			fake.when(prompt, script);
			replies.add(new Running(pane, prompt, script));
		}
		return replies;
	}

	/**
	 * The model, asked to go on with any of {@code replies}, sends the rest of it
	 * (repeating its last 12 characters first).
	 */
	void scriptContinuations(List<Running> replies) {
		for (int i = 0; i < replies.size(); i++) {
			fake.when("Continue it exactly", new FakeGemini.Resume(replies.stream().map(Running::script).toList(), 12));
		}
	}

	/** Sends each prompt in its pane in the tab on node A. */
	void sendOnNodeA(List<Running> replies) {
		driver.switchTo().window(tabOnA);
		ChatPage page = ChatPage.open(driver, nodeA.baseUrl());
		for (Running reply : replies) {
			page.pane(reply.pane().id().toString()).send(reply.prompt());
		}
	}

	ChatMessage storedReply(Conversation pane) {
		return messageStore.history(alice(), pane.id()).getLast();
	}

	/**
	 * Records, on node B, when each reply is taken up and when its first text after the
	 * seam comes.
	 */
	Map<MessageId, Instant[]> watchSeams(List<Running> replies, List<MessageBroadcaster.Subscription> subscriptions) {
		Map<MessageId, Instant[]> seams = new ConcurrentHashMap<>();
		for (Running reply : replies) {
			subscriptions.add(broadcaster.subscribe(reply.pane().id(), e -> {
				if (e instanceof MessageEvent.Resumed) {
					seams.put(e.messageId(), new Instant[] { Instant.now(), null });
				}
				else if (e instanceof MessageEvent.Delta && seams.containsKey(e.messageId())
						&& seams.get(e.messageId())[1] == null) {
					seams.get(e.messageId())[1] = Instant.now();
				}
			}));
		}
		return seams;
	}

	/**
	 * Every reply ended complete, in storage byte for byte as the fake model wrote it,
	 * and so in the tab on node B.
	 */
	void assertCompleteAndExact(List<Running> replies) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> replies.stream().allMatch(r -> storedReply(r.pane()).status().isFinal()));
		for (Running reply : replies) {
			ChatMessage stored = storedReply(reply.pane());
			assertThat(stored.status()).isEqualTo(MessageStatus.COMPLETE);
			assertThat(stored.text()).as("byte for byte: nothing lost, nothing twice")
				.isEqualTo(reply.script().fullText());
		}
		driver.switchTo().window(tabOnB);
		ChatPage.open(driver, "http://localhost:" + port);
		for (Running reply : replies) {
			waitOn(tabOnB, reply.pane(), p -> p.hasReply() && p.lastReply().hasStatus("complete"));
			String shown = on(tabOnB, reply.pane()).lastReply().text().replace(SEAM_NOTE, " ");
			assertThat(normalized(shown)).isEqualTo(normalized(reply.script().fullText()));
		}
	}

	static final String SEAM_NOTE = "continued after a server restart";

	@Test
	@Order(4)
	void whenNodeADiesMidStreamNodeBTakesEachReplyUpWithinTheLeaseAndItEndsExactlyAsTheModelWroteIt()
			throws IOException {
		CountDownLatch never = new CountDownLatch(1);
		List<Running> replies = scriptReplies("dying", 4, 200, Duration.ofMillis(25), never);
		scriptContinuations(replies);
		List<MessageBroadcaster.Subscription> subscriptions = new ArrayList<>();
		Map<MessageId, Instant[]> seams = watchSeams(replies, subscriptions);
		try {
			sendOnNodeA(replies);
			// storage trails the screen by up to one flush interval, by design: kill A
			// once each has stored 40 words
			await().atMost(Duration.ofSeconds(30))
				.until(() -> replies.stream()
					.allMatch(r -> messageStore.storedText(storedReply(r.pane()).id()).contains("w39 ")));
			driver.switchTo().window(tabOnB);
			ChatPage.open(driver, "http://localhost:" + port);
			// the last word shown: its trailing space is not in the rendered text
			waitOn(tabOnB, replies.getFirst().pane(), p -> replyShows(p, "w39"));

			nodeA.kill();
			Instant killed = Instant.now();

			await().atMost(LEASE.plusSeconds(5)).until(() -> seams.size() == replies.size());
			await().atMost(Duration.ofSeconds(5)).until(() -> seams.values().stream().allMatch(t -> t[1] != null));
			assertCompleteAndExact(replies);
			for (Running reply : replies) {
				ChatMessage stored = storedReply(reply.pane());
				assertThat(stored.seams()).as("taken up once, the seam recorded").hasSize(1);
				assertThat(Objects.requireNonNull(seams.get(stored.id()), "a seam seen for each reply")[0])
					.as("within lease + 5 s")
					.isBefore(killed.plus(LEASE).plusSeconds(5));
			}
			waitOn(tabOnB, replies.getFirst().pane(),
					p -> !p.root().findElements(By.cssSelector(".message.assistant .seam")).isEmpty());
			List<Long> pauses = seams.values()
				.stream()
				.map(t -> Duration.between(killed, t[1]).toMillis())
				.sorted()
				.toList();
			Path file = Path.of("target", "benchmarks", "continuation.txt");
			Files.createDirectories(file.getParent());
			Files.writeString(file, """
					kill -9 of node A with %d replies streaming (lease %d ms, heartbeat %d ms): kill -> first text
					after the seam on node B, ms: p50=%d p99=%d max=%d (all: %s)
					""".formatted(replies.size(), LEASE.toMillis(), HEARTBEAT.toMillis(), pauses.get(pauses.size() / 2),
					pauses.get(Math.min(pauses.size() - 1, (int) (pauses.size() * 0.99))), pauses.getLast(), pauses));
		}
		finally {
			never.countDown();
			subscriptions.forEach(MessageBroadcaster.Subscription::close);
		}
	}

	/**
	 * Issue 16's rolling restart at CI size: node A and node C behind the proxy, a tab
	 * sticking to each, 4 replies streaming, 2 generated on each. SIGTERM A: it turns not
	 * ready, its tab says it restarts and keeps a prompt sent there, its replies finish
	 * there; it exits and comes back. Then the same with C, whose drain times out on a
	 * reply held by the model: that one is handed over and continued elsewhere. No answer
	 * cut, each byte for byte what the model sent, and both tabs, reconnected by
	 * themselves through the proxy (signed in again by remember-me), show every one.
	 */
	@Test
	@Order(3)
	void aRollingRestartOfBothNodesCutsNoAnswerLosesOrRepeatsNoCharacterAndEveryTabStillShowsItsConversation()
			throws Exception {
		CountDownLatch releaseOnA = new CountDownLatch(1);
		CountDownLatch releaseOnC = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		List<Running> onA = scriptReplies("rollA", 2, 50, Duration.ofMillis(20), releaseOnA);
		List<Running> finishingOnC = scriptReplies("rollC", 1, 50, Duration.ofMillis(20), releaseOnC);
		List<Running> heldOnC = scriptReplies("heldC", 1, 60, Duration.ofMillis(20), never);
		List<Running> onC = new ArrayList<>(finishingOnC);
		onC.addAll(heldOnC);
		List<Running> all = new ArrayList<>(onA);
		all.addAll(onC);
		scriptContinuations(heldOnC);
		Conversation idle = paneStore.create(alice(), "gemini-2.5-flash");
		try (StickyProxy proxy = new StickyProxy(Map.of("node-a", nodeA.port(), "node-c", nodeC.port()))) {
			// a host each: a browser's tabs share cookies by host, not by port
			String viaA = proxy.listen("127.0.0.2");
			String viaC = proxy.listen("127.0.0.3");
			await().atMost(Duration.ofSeconds(10)).until(() -> proxy.isReady("node-a") && proxy.isReady("node-c"));
			openThroughProxy(tabOnA, viaA, "node-a", onA);
			openThroughProxy(tabOnB, viaC, "node-c", onC);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> all.stream()
					.allMatch(r -> messageStore.storedText(storedReply(r.pane()).id()).contains("w39 ")));
			assertThat(all).as("generated where their tabs stick")
				.extracting(r -> nodeOf(storedReply(r.pane())))
				.containsExactly("node-a", "node-a", "node-c", "node-c");

			// node A: drains, exits, comes back on its port
			nodeA.signalTerminate();
			await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.status("/actuator/health/readiness") == 503);
			assertADrainingNodeRefusesAPromptAndKeepsIt(tabOnA, idle);
			// out of rotation at the proxy's next check
			await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.isReady("node-a"));
			releaseOnA.countDown();
			nodeA.awaitExit(Duration.ofSeconds(60));
			CompletableFuture<AppNode> backA = CompletableFuture
				.supplyAsync(() -> AppNode.start("node-a-back", nodeASettings(Map.of()), nodeA.port()));
			onA.forEach(
					r -> assertThat(storedReply(r.pane()).seams()).as("finished on node A as it drained").isEmpty());
			awaitShowsEvery(tabOnA, onA);
			nodeA = backA.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> proxy.isReady("node-a"));

			// node C: the same; its drain times out on the held reply, which is handed
			// over
			nodeC.signalTerminate();
			releaseOnC.countDown();
			nodeC.awaitExit(Duration.ofSeconds(60));
			CompletableFuture<AppNode> backC = CompletableFuture
				.supplyAsync(() -> AppNode.start("node-c-back", nodeCSettings(), nodeC.port()));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> all.stream().allMatch(r -> storedReply(r.pane()).status().isFinal()));
			for (Running reply : all) {
				ChatMessage stored = storedReply(reply.pane());
				assertThat(stored.status()).as("not cut").isEqualTo(MessageStatus.COMPLETE);
				assertThat(stored.text()).as("byte for byte: nothing lost, nothing twice")
					.isEqualTo(reply.script().fullText());
			}
			finishingOnC.forEach(
					r -> assertThat(storedReply(r.pane()).seams()).as("finished on node C as it drained").isEmpty());
			heldOnC.forEach(r -> assertThat(storedReply(r.pane()).seams()).as("handed over, continued").hasSize(1));
			assertThat(nodeC.log()).as("handed over at the drain's timeout")
				.contains("handing 1 streaming replies over");
			// both tabs had their session on node C at the end (A's came over when A
			// went)
			awaitShowsEvery(tabOnA, all);
			awaitShowsEvery(tabOnB, all);
			nodeC = backC.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> proxy.isReady("node-c"));
		}
		finally {
			releaseOnA.countDown();
			releaseOnC.countDown();
			never.countDown();
		}
	}

	/**
	 * Signs {@code tab} in through the proxy, its session sticking to {@code node}, and
	 * sends each prompt there.
	 */
	void openThroughProxy(String tab, String base, String node, List<Running> replies) {
		driver.switchTo().window(tab);
		// set without loading a page of the site first (see Browser.setCookie)
		Browser.setCookie(driver, base, StickyProxy.COOKIE, node);
		ChatPage page = ChatPage.open(driver, base);
		for (Running reply : replies) {
			page.pane(reply.pane().id().toString()).send(reply.prompt());
		}
	}

	/**
	 * The tab of a draining node says so, and a prompt sent there is refused and stays in
	 * the prompt.
	 */
	void assertADrainingNodeRefusesAPromptAndKeepsIt(String tab, Conversation idle) {
		waitOn(tab, idle, p -> !driver.findElements(By.cssSelector(".drain-notice")).isEmpty()
				&& driver.findElement(By.cssSelector(".drain-notice")).isDisplayed());
		on(tab, idle).send("sent while the server drains");
		waitOn(tab, idle, p -> p.root().findElement(By.cssSelector(".prompt-error")).isDisplayed());
		assertThat(on(tab, idle).root().findElement(By.cssSelector(".prompt-error")).getText()).contains("restarting");
		assertThat(on(tab, idle).promptValue()).as("kept in the prompt").isEqualTo("sent while the server drains");
		assertThat(messageStore.history(alice(), idle.id())).as("nothing sent").isEmpty();
	}

	/**
	 * The tab, once it has reconnected by itself (Vaadin reloads a page whose node went,
	 * and remember-me signs it in again), shows each reply complete and as the model
	 * wrote it.
	 */
	void awaitShowsEvery(String tab, List<Running> replies) {
		driver.switchTo().window(tab);
		ChatPage page = new ChatPage(driver);
		await("the tab shows its conversations after reconnecting").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> replies.stream().allMatch(reply -> {
				PaneElement shown = page.pane(reply.pane().id().toString());
				if (!shown.hasReply()) {
					return false;
				}
				MessageElement last = shown.lastReply();
				return last.hasStatus("complete") && normalized(last.text().replace(SEAM_NOTE, " "))
					.equals(normalized(reply.script().fullText()));
			}));
		assertThat(driver.findElements(By.cssSelector("vaadin-login-form"))).as("signed in again by remember-me")
			.isEmpty();
	}

	/** The node a reply is (or was last) generated on; null if it has none recorded. */
	@Nullable String nodeOf(ChatMessage reply) {
		return jdbc.queryForObject("select node_id from message where id = ?", String.class, reply.id().value());
	}

	static List<String> words(String prefix, int count) {
		List<String> words = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			words.add(prefix + i + " ");
		}
		return words;
	}

	static String normalized(String text) {
		return text.replaceAll("\\s+", " ").strip();
	}

	// ---- token → screen latency: when each word was written by the fake vs first shown
	// in a tab

	/**
	 * Records, in the tab, when each word {@code w<i>x} first appears in the last reply.
	 */
	private void watchWords(String tab) {
		driver.switchTo().window(tab);
		((JavascriptExecutor) driver).executeScript("""
				window.__seen = {};
				const list = document.querySelector('.pane:last-of-type .message-list') || document.body;
				new MutationObserver(() => {
				  const replies = document.querySelectorAll('.message.assistant .content');
				  if (!replies.length) return;
				  const now = Date.now(); // the wall clock, as the fake's timestamps
				  for (const m of replies[replies.length - 1].innerText.matchAll(/w\\d+x/g)) {
				    if (!(m[0] in window.__seen)) window.__seen[m[0]] = now;
				  }
				}).observe(document.body, {childList: true, subtree: true, characterData: true});""");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Number> seenAt(String tab) {
		driver.switchTo().window(tab);
		return Dom.result(((JavascriptExecutor) driver).executeScript("return window.__seen;"), Map.class,
				"when each word was seen (recorded since watchWords)");
	}

	private static void writeLatencies(Map<String, Instant> written, Map<String, Number> onA, Map<String, Number> onB)
			throws IOException {
		Path file = Path.of("target", "benchmarks", "cross-node-latency.txt");
		Files.createDirectories(file.getParent());
		Files.writeString(file, """
				Token -> screen latency, 150 chunks at 20 ms from the fake Gemini, generated on node A,
				shown in a Chromium tab on node A (same node) and on node B (across PostgreSQL LISTEN/NOTIFY).
				%s
				%s
				""".formatted(summary("same node (A)", written, onA), summary("cross node (B)", written, onB)));
	}

	private static String summary(String label, Map<String, Instant> written, Map<String, Number> seen) {
		List<Double> millis = new ArrayList<>();
		written.forEach((word, at) -> {
			Number shown = seen.get(word);
			if (shown != null) {
				millis.add(shown.doubleValue() - at.toEpochMilli());
			}
		});
		millis.sort(null);
		if (millis.isEmpty()) {
			return label + ": no samples";
		}
		return "%s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms".formatted(label, millis.size(),
				millis.get((int) (millis.size() * 0.50)),
				millis.get(Math.min(millis.size() - 1, (int) (millis.size() * 0.99))), millis.getLast());
	}

	private UserId alice() {
		return accounts.find(TestUsers.ALICE).orElseThrow();
	}

}
