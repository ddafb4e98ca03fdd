package dev.streamchat.streaming.internal;

import java.util.List;

import dev.streamchat.chat.MessageId;
import dev.streamchat.chat.NewAttachment;

/** What a new reply answers. */
public sealed interface Opening {

	/** A new prompt, with its files, at the end of the conversation. */
	record NewPrompt(String text, List<NewAttachment> files) implements Opening {

		public NewPrompt {
			files = List.copyOf(files);
		}
	}

	/** A new version of an earlier prompt of the conversation. */
	record EditedPrompt(MessageId prompt, String text) implements Opening {
	}

	/**
	 * The prompt of this answer of the conversation, answered again as a new version;
	 * when {@code latestOnly}, only if the answer is the conversation's last message.
	 */
	record AnswerAgain(MessageId answer, boolean latestOnly) implements Opening {
	}

}
