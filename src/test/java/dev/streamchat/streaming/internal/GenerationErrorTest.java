package dev.streamchat.streaming.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.chat.MessageStatus;
import dev.streamchat.model.ChatModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unexpected server error: the user reads plain words and a reference, the log has the
 * details.
 */
@ExtendWith(OutputCaptureExtension.class)
class GenerationErrorTest extends GenerationTestSupport {

	static final String SQL_TEXT = "PreparedStatementCallback; SQL [insert into message_chunk (message_id, text) values (?, ?)]";

	@Test
	void rawExceptionTextNeverReachesTheBubbleButAReferenceToTheLogDoes(CapturedOutput log) {
		ChatMessage reply = storedReply("anything", null);
		ChatModel broken = request -> {
			throw new DataIntegrityViolationException(SQL_TEXT);
		};
		generation(reply, "anything", broken, new BatchingReplyStorage(replyWriter, properties), null).run();

		ChatMessage failed = messageStore.message(alice, reply.id()).orElseThrow();
		assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
		assertThat(failed.error()).doesNotContain("SQL", "insert", "PreparedStatement")
			.contains("Something went wrong");
		Matcher reference = Pattern.compile("reference (\\w+)").matcher(failed.error());
		assertThat(reference.find()).as("a reference in: " + failed.error()).isTrue();
		assertThat(log.getAll()).contains("[ref " + reference.group(1) + "]").contains(SQL_TEXT);
	}

}
