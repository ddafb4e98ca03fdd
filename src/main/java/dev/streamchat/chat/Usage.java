package dev.streamchat.chat;

/** Token counts as reported by the model; zero when it reported none. */
public record Usage(int inputTokens, int outputTokens, int thoughtTokens) {

	public static final Usage NONE = new Usage(0, 0, 0);

	public int totalOutput() {
		return outputTokens + thoughtTokens;
	}
}
