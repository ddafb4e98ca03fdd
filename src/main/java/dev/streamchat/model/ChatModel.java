package dev.streamchat.model;

/**
 * The port to a language model: stream one reply for a conversation. Implementations are
 * the Gemini adapter (google-genai) and an offline demo model.
 */
public interface ChatModel {

	/**
	 * Lazily prepares a stream; nothing is sent before the first
	 * {@link ModelStream#next()}.
	 */
	ModelStream stream(ModelRequest request);

	/**
	 * Readies the way to the model before the first prompt needs it (classes loaded,
	 * clients built, code compiled), without asking the real model anything and without
	 * sending a key anywhere. Called once after start-up, off its critical path.
	 */
	default void warmUp() {
	}

}
