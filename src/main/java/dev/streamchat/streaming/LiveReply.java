package dev.streamchat.streaming;

import java.util.List;

import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.ToolPart;
import org.jspecify.annotations.Nullable;

/**
 * What a reply streaming on this server has produced so far: a copy taken once.
 * {@code seams}: the answer offsets where it was taken up again after a server went away;
 * {@code grounding}: null if none.
 */
public record LiveReply(String text, String thinking, List<ToolPart> parts, List<Integer> seams,
		@Nullable Grounding grounding) {

	public LiveReply {
		parts = List.copyOf(parts);
		seams = seams == null ? List.of() : List.copyOf(seams);
	}

	public LiveReply(String text, String thinking, List<ToolPart> parts) {
		this(text, thinking, parts, List.of(), null);
	}
}
