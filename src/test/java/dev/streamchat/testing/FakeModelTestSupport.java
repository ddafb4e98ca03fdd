package dev.streamchat.testing;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * The streaming module with what it depends on (chat, model, broadcast, tools, security)
 * and the conversations' front doors (history), but no UI and no web server, answering
 * from the in-memory {@link FakeChatModel}: for tests whose claim is about our streaming
 * logic and storage, not about the SDK or the wire ({@code FakeGemini} stays for those).
 * Signed in as alice, a fresh pane per test, every event published for it recorded, the
 * model's scripts reset. The database can be made to fail ({@link FlakyDatabase}; it
 * passes everything through unless told). The tools are the app's and {@link SlowTool}.
 * Every test class of the streaming module that extends this shares one Spring context;
 * one that adds {@link OnPostgresCluster} shares another.
 */
@ApplicationModuleTest(module = "streaming", mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES,
		extraIncludes = { "security", "history" })
@ActiveProfiles("test")
// the panes' models are those of a configured key (never used: the fake answers); a small
// context limit (about 4 000 bytes of conversation) so that a test can go past it
// cheaply;
// the tools' timeout as with FakeGemini, so a held tool times out in 1.5 s
@TestPropertySource(properties = { "chat.model.api-key=" + FakeGeminiConfiguration.API_KEY,
		"chat.model.models=gemini-2.5-flash,gemini-2.5-pro", "chat.model.default-model=gemini-2.5-flash",
		"chat.streaming.max-context-tokens=1000", "chat.tools.timeout=1500ms" })
// the slow tool declared next to the real ones, as in the whole app's tests
@Import({ FakeChatModelConfiguration.class, FlakyDatabase.class, SlowTool.class })
public abstract class FakeModelTestSupport extends PaneTestSupport {

	@Autowired
	protected FakeChatModel model;

	@Autowired
	protected FlakyDatabase database;

	@Override
	protected void resetModel() {
		model.reset();
	}

	@AfterEach
	void recoverDatabase() {
		database.recover();
	}

}
