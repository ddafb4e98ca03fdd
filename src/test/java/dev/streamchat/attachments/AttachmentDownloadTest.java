package dev.streamchat.attachments;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.streamchat.chat.AttachmentId;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /attachments/{id}}: the bytes for their owner, the same 404 for anyone else.
 */
@AppTest
class AttachmentDownloadTest {

	@LocalServerPort
	int port;

	@Autowired
	UserAccounts accounts;

	@Autowired
	ConversationStore panes;

	@Autowired
	Messages messages;

	/** A browser of its own: cookies kept, redirects not followed. */
	class Visitor {

		final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

		HttpResponse<byte[]> get(String path) throws Exception {
			return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofByteArray());
		}

		Visitor signIn(String username, String password) throws Exception {
			String page = new String(get("/login").body(), StandardCharsets.UTF_8);
			Matcher token = Pattern
				.compile("<meta (?:name=\"_csrf\" content=\"([^\"]+)\"|content=\"([^\"]+)\" name=\"_csrf\")")
				.matcher(page);
			assertThat(token.find()).isTrue();
			String csrf = token.group(1) != null ? token.group(1) : token.group(2);
			HttpResponse<String> response = http
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers
						.ofString("username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(csrf)))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
			return this;
		}

	}

	static String enc(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

	UserId user(String name) {
		return accounts.find(name).orElseGet(() -> accounts.create(name, name + "-password-123"));
	}

	AttachmentId aliceAttaches(String name, String type, byte[] bytes) {
		Conversation pane = panes.create(user(TestUsers.ALICE), "gemini-2.5-flash");
		ChatMessage prompt = messages.addUserMessage(pane.owner(), pane.id(), "see attached",
				List.of(new NewAttachment(name, type, bytes, null, null)));
		return prompt.attachments().getFirst().id();
	}

	@Test
	void theOwnerGetsTheBytesWithTheStoredTypeAndNothingThatRuns() throws Exception {
		byte[] text = "<script>alert(1)</script> is just text here".getBytes(StandardCharsets.UTF_8);
		AttachmentId id = aliceAttaches("page.html", "text/plain", text);

		HttpResponse<byte[]> response = new Visitor().signIn(TestUsers.ALICE, TestUsers.ALICE_PASSWORD)
			.get("/attachments/" + id);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(text);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
		assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("sandbox");
		assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).contains("page.html");
	}

	@Test
	void anotherUserGetsTheSame404AsForAFileThatDoesNotExist() throws Exception {
		AttachmentId id = aliceAttaches("secret.pdf", "application/pdf",
				"%PDF-1.4 secret %%EOF".getBytes(StandardCharsets.US_ASCII));
		user("mallory");
		Visitor mallory = new Visitor().signIn("mallory", "mallory-password-123");

		HttpResponse<byte[]> theirs = mallory.get("/attachments/" + id);
		HttpResponse<byte[]> none = mallory.get("/attachments/" + (id.value() + 100_000));
		HttpResponse<byte[]> garbage = mallory.get("/attachments/not-an-id");

		assertThat(theirs.statusCode()).isEqualTo(404);
		assertThat(new String(theirs.body(), StandardCharsets.ISO_8859_1)).doesNotContain("secret");
		assertThat(none.statusCode()).isEqualTo(404);
		assertThat(garbage.statusCode()).isEqualTo(404);
	}

	@Test
	void someoneNotSignedInGetsNoBytes() throws Exception {
		AttachmentId id = aliceAttaches("a.txt", "text/plain", "private words".getBytes(StandardCharsets.UTF_8));

		HttpResponse<byte[]> response = new Visitor().get("/attachments/" + id);

		assertThat(response.statusCode()).isNotEqualTo(200);
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("private words");
	}

}
