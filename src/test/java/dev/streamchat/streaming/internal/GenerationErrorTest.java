package dev.streamchat.streaming.internal;

import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.Messages;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.ReplyWriter;
import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.security.UserAccounts;
import dev.streamchat.security.UserId;
import dev.streamchat.streaming.StreamingProperties;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.TestUsers;
import dev.streamchat.tools.ToolBox;
import dev.streamchat.tools.ToolContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unexpected server error: the user reads plain words and a reference, the log has the
 * details.
 */
@AppTest
@ExtendWith(OutputCaptureExtension.class)
class GenerationErrorTest {

	static final String SQL_TEXT = "PreparedStatementCallback; SQL [insert into message_chunk (message_id, text) values (?, ?)]";

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	ReplyWriter replyWriter;

	@Autowired
	ToolJson json;

	@Autowired
	ToolBox tools;

	@Autowired
	MessageBroadcaster broadcaster;

	@Autowired
	UserAccounts accounts;

	@Autowired
	StreamingProperties properties;

	@Autowired
	StreamingMetrics metrics;

	@Test
	void rawExceptionTextNeverReachesTheBubbleButAReferenceToTheLogDoes(CapturedOutput log) {
		UserId alice = accounts.find(TestUsers.ALICE).orElseThrow();
		Conversation pane = paneStore.createPane(alice, "gemini-2.5-flash");
		messageStore.addUserMessage(pane.id(), "anything");
		ChatMessage reply = replyWriter.startReply(pane.id(), "gemini-2.5-flash");
		ChatModel broken = request -> {
			throw new DataIntegrityViolationException(SQL_TEXT);
		};
		new Generation(reply.id(), new ToolContext(alice, pane.id()),
				new ModelRequest("gemini-2.5-flash",
						List.of(new ModelRequest.Turn(ModelRequest.Author.USER, "anything"))),
				broken, replyWriter, messageStore, new BatchingReplyStorage(replyWriter, properties), broadcaster,
				tools, json, properties, metrics, Clock.systemUTC())
			.run();

		ChatMessage failed = messageStore.message(alice, reply.id()).orElseThrow();
		assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(failed.error()).doesNotContain("SQL", "insert", "PreparedStatement")
			.contains("Something went wrong");
		Matcher reference = Pattern.compile("reference (\\w+)").matcher(failed.error());
		assertThat(reference.find()).as("a reference in: " + failed.error()).isTrue();
		assertThat(log.getAll()).contains("[ref " + reference.group(1) + "]").contains(SQL_TEXT);
	}

}
