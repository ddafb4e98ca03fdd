package dev.streamchat.streaming;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Running several app nodes over one PostgreSQL database; see application.properties for
 * each key.
 *
 * @param mode {@code single} (one node: replies streaming at start-up are over) or
 * {@code postgres} (several nodes: events travel by LISTEN/NOTIFY, nodes hold leases)
 * @param nodeId this node's name in the database; blank: host name, process id and a
 * random suffix
 * @param heartbeatInterval how often a node renews its lease and looks for dead nodes
 * @param leaseTime a node that has not renewed its lease for this long is dead: its
 * streaming replies are taken up by a surviving node within about leaseTime +
 * heartbeatInterval
 * @param orphanedReplies what a surviving node does with the streaming replies of a node
 * that died (or could not finish them while shutting down): {@code continue} them, asking
 * the model to go on from the stored text, or end them as {@code interrupt}ed
 */
@ConfigurationProperties("chat.cluster")
public record ClusterProperties(@DefaultValue("single") Mode mode, @DefaultValue("") String nodeId,
		@DefaultValue("2s") Duration heartbeatInterval, @DefaultValue("10s") Duration leaseTime,
		@DefaultValue("continue") OrphanedReplies orphanedReplies) {

	public enum Mode {

		SINGLE, POSTGRES

	}

	public enum OrphanedReplies {

		CONTINUE, INTERRUPT

	}

	public ClusterProperties {
		if (mode == Mode.POSTGRES && leaseTime.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("chat.cluster.lease-time must be at least twice the heartbeat interval");
		}
	}
}
