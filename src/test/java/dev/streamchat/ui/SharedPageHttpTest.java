package dev.streamchat.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.streamchat.chat.AttachmentId;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.NewAttachment;
import dev.streamchat.chat.Outcome;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.chat.Usage;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.sharing.ShareOptions;
import dev.streamchat.sharing.SharedLink;
import dev.streamchat.sharing.SharedLinks;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page of a share link over HTTP, as a visitor with no session gets it: escaped, not
 * indexed, under the CSP.
 */
@AppTest
class SharedPageHttpTest {

	@LocalServerPort
	int port;

	@Autowired
	SharedLinks links;

	@Autowired
	ConversationStore panes;

	@Autowired
	Messages messages;

	@Autowired
	ReplyWriter replies;

	@Autowired
	UserAccounts accounts;

	UserId alice;

	Conversation pane;

	@BeforeEach
	void conversation() {
		alice = accounts.find(TestUsers.ALICE).orElseThrow();
		pane = panes.create(alice, "gemini-2.5-flash");
		panes.rename(alice, pane.id(), "Dom <script>alert('title')</script>");
		messages.addUserMessage(pane.owner(), pane.id(), "<img src=x onerror=alert(1)> how tall?");
		ChatMessage answer = replies.startReply(pane.id(), "gemini-2.5-flash");
		replies.saveGrounding(answer.id(),
				new Grounding(
						List.of(new Grounding.Source("Kölner Dom", "https://www.koelner-dom.de/", "koelner-dom.de")),
						List.of(new Grounding.Citation(16, List.of(1))), List.of(), null, null));
		replies.finish(answer.id(),
				"It is **157 m** tall.\n\n```java\nint m = 157; // <b>\n```\n\n<script>x()</script>",
				new Outcome(MessageStatus.COMPLETE, null, "STOP", Usage.NONE));
	}

	HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void aVisitorWithoutASessionReadsTheSnapshotRenderedAndEscapedButNotIndexed() throws Exception {
		SharedLink link = links.create(alice, pane.id(), ShareOptions.NONE).orElseThrow();

		HttpResponse<String> page = get(link.path());

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("X-Robots-Tag")).hasValue("noindex, nofollow");
		assertThat(page.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
		assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();
		String html = page.body();
		assertThat(html).contains("<meta name=\"robots\" content=\"noindex, nofollow\">")
			.contains("Dom &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;".replace("&#39;", "'"))
			.contains("&lt;img src=x onerror=alert(1)&gt; how tall?")
			.contains("<strong>157 m</strong>")
			.contains("class=\"code-block\"")
			.contains("int m = 157; // &lt;b&gt;")
			.contains("&lt;script&gt;x()&lt;/script&gt;")
			.doesNotContain("<img");
		assertThat(html.replaceAll("<script defer src=\"/(webjars|frontend)/[\\w./-]+\"></script>", ""))
			.as("no script but the page's own rendering")
			.doesNotContain("<script");
		// the citation marker leads to this answer's own source, which opens in a new tab
		// without a referrer
		assertThat(html).contains("<sup class=\"cite\"><a href=\"#m1-source-1\" data-cite=\"1\"")
			.contains("<li class=\"source\" id=\"m1-source-1\" data-source=\"1\">"
					+ "<a href=\"https://www.koelner-dom.de/\" target=\"_blank\" rel=\"noopener noreferrer\">Kölner Dom</a>");
	}

	@Test
	void aRevokedAnUnknownOrAMalformedLinkIsNotFoundAndOnlyTheSharePathIsOpen() throws Exception {
		SharedLink link = links.create(alice, pane.id(), ShareOptions.NONE).orElseThrow();
		links.revoke(alice, link.id());

		assertThat(get(link.path()).statusCode()).isEqualTo(404);
		assertThat(get(link.path()).body()).contains("does not exist or was revoked").doesNotContain("157 m");
		// an id of the right form that was never made: what guessing gets, for anyone
		assertThat(get("/share/AAAAAAAAAAAAAAAAAAAAAA").statusCode()).isEqualTo(404);
		assertThat(get("/share/" + pane.id()).statusCode()).isEqualTo(404);
		// nothing else under it is open to visitors without a session
		assertThat(get("/share/AAAAAAAAAAAAAAAAAAAAAA/more").statusCode()).isNotEqualTo(200);
		assertThat(get("/share/AAAAAAAAAAAAAAAAAAAAAA/attachments").statusCode()).isNotEqualTo(200);
		assertThat(get("/share/AAAAAAAAAAAAAAAAAAAAAA/attachments/1/more").statusCode()).isNotEqualTo(200);
		assertThat(get("/share").statusCode()).isNotEqualTo(200);
	}

	@Test
	void aSharedFileIsServedThroughItsOwnLinkOnlyWithTheAttachmentHeadersAndNotAfterRevoking() throws Exception {
		AttachmentId file = messages
			.addUserMessage(pane.owner(), pane.id(), "my notes",
					List.of(new NewAttachment("notes <b>.txt", "text/plain",
							"<script>alert(1)</script> notes".getBytes(StandardCharsets.UTF_8), null, null)))
			.attachments()
			.getFirst()
			.id();
		SharedLink link = links.create(alice, pane.id(), new ShareOptions(false, false, true)).orElseThrow();
		SharedLink withheld = links.create(alice, pane.id(), ShareOptions.NONE).orElseThrow();
		Conversation otherPane = panes.create(alice, "gemini-2.5-flash");
		AttachmentId otherFile = messages
			.addUserMessage(otherPane.owner(), otherPane.id(), "other", List
				.of(new NewAttachment("other.txt", "text/plain", "other".getBytes(StandardCharsets.UTF_8), null, null)))
			.attachments()
			.getFirst()
			.id();
		SharedLink otherLink = links.create(alice, otherPane.id(), new ShareOptions(false, false, true)).orElseThrow();
		String url = link.path() + "/attachments/" + file;

		String page = get(link.path()).body();
		assertThat(page).contains("<a class=\"attachment-link\" href=\"" + url + "\" target=\"_blank\"")
			.contains("notes &lt;b&gt;.txt")
			.doesNotContain("notes <b>");
		HttpResponse<String> served = get(url);
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).isEqualTo("<script>alert(1)</script> notes");
		assertThat(served.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
		assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(served.headers().allValues("Content-Security-Policy"))
			.anySatisfy(csp -> assertThat(csp).startsWith("sandbox"));
		assertThat(served.headers().firstValue("Cache-Control"))
			.hasValueSatisfying(cache -> assertThat(cache).contains("no-store"));
		assertThat(served.headers().firstValue("X-Robots-Tag")).hasValue("noindex, nofollow");
		assertThat(served.headers().firstValue("Set-Cookie")).isEmpty();
		// without a session the owner's own door stays shut
		assertThat(get("/attachments/" + file).statusCode()).isNotEqualTo(200);

		// not ticked: the page says a file was there, never its name, and serves nothing
		assertThat(get(withheld.path()).body()).contains("1 attached file, not shared")
			.doesNotContain("notes &lt;b&gt;.txt")
			.doesNotContain("/attachments/");
		assertThat(get(withheld.path() + "/attachments/" + file).statusCode()).isEqualTo(404);
		// another link's file, through this link, and this file through another link
		assertThat(get(link.path() + "/attachments/" + otherFile).statusCode()).isEqualTo(404);
		assertThat(get(otherLink.path() + "/attachments/" + file).statusCode()).isEqualTo(404);
		assertThat(get(otherLink.path() + "/attachments/" + otherFile).statusCode()).isEqualTo(200);
		assertThat(get(link.path() + "/attachments/not-an-id").statusCode()).isEqualTo(404);
		assertThat(get("/share/AAAAAAAAAAAAAAAAAAAAAA/attachments/" + file).statusCode()).isEqualTo(404);

		links.revoke(alice, link.id());

		HttpResponse<String> revoked = get(url);
		assertThat(revoked.statusCode()).isEqualTo(404);
		assertThat(revoked.body()).doesNotContain("notes");
	}

	@Test
	void theSharedPageLoadsTheChatsRenderingAndOnlyThatIsOpenWithoutASession() throws Exception {
		SharedLink link = links.create(alice, pane.id(), ShareOptions.NONE).orElseThrow();

		String html = get(link.path()).body();

		// exactly the scripts the page names, each from this server, none inline
		Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>").matcher(html);
		List<String> sources = new ArrayList<>();
		while (scripts.find()) {
			assertThat(scripts.group(2)).as("no inline script").isEmpty();
			sources.add(scripts.group(1));
		}
		assertThat(sources).containsExactly(" defer src=\"/webjars/highlightjs/highlight.min.js\"",
				" defer src=\"/webjars/katex/dist/katex.min.js\"", " defer src=\"/frontend/render.js\"",
				" defer src=\"/frontend/share.js\"");
		for (String path : List.of("/webjars/highlightjs/highlight.min.js", "/webjars/katex/dist/katex.min.js",
				"/frontend/render.js", "/frontend/share.js", "/webjars/highlightjs/styles/github.min.css",
				"/webjars/katex/dist/katex.min.css")) {
			assertThat(get(path).statusCode()).as(path).isEqualTo(200);
		}
	}

}
