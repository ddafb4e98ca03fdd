package dev.streamchat.tools;

import java.util.Map;

import dev.streamchat.model.ToolSpec;

/**
 * A function the app runs for the model. {@link #run} may block (it runs on its own
 * virtual thread, under a timeout) and should throw with a message the model can act on
 * when it fails.
 */
public interface LocalTool {

	ToolSpec spec();

	Map<String, Object> run(Map<String, Object> args, ToolContext context) throws Exception;

}
