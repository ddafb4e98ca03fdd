package dev.streamchat.streaming.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;

import dev.streamchat.chat.ChatMessage;
import dev.streamchat.streaming.ClusterProperties;

/**
 * What differs between one node ({@link SingleNode}) and several over one database
 * ({@link ClusterNode}, {@code chat.cluster.mode=postgres}): how replies left streaming
 * by an earlier run end, whether a reply may stream on another node, and where Stop goes.
 * One bean of the two exists, as with the broadcaster.
 */
public interface NodeRole {

	/** This node's name in the database, recorded on the replies it generates. */
	String nodeId();

	/** Before anyone looks: ends the replies that nobody generates any more. */
	void join();

	/** The node starts taking prompts. */
	void start();

	/** The node stops taking prompts (its generations have ended). */
	void leave();

	/** The node shuts down: it lets its own replies finish and takes up no others'. */
	default void drain() {
	}

	/**
	 * Whether replies this node cannot finish while shutting down are left for another
	 * node to take up (rather than ended as interrupted).
	 */
	default boolean handsOver() {
		return false;
	}

	/**
	 * Refuses a new reply in a conversation where one streams on another node (this
	 * node's own replies are caught by its conversation reservation).
	 * @return whether a reply of {@code conversation} streams elsewhere
	 */
	boolean streamingElsewhere(List<ChatMessage> conversation);

	/**
	 * Asks the node generating {@code reply} to stop it, when that may be another node.
	 * @return whether the request went out
	 */
	boolean stopElsewhere(ChatMessage reply);

	/** {@code chat.cluster.node-id}, or host, process id and a random suffix. */
	static String nodeIdOf(ClusterProperties cluster) {
		if (!cluster.nodeId().isBlank()) {
			return cluster.nodeId();
		}
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException e) {
			host = "node";
		}
		return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
