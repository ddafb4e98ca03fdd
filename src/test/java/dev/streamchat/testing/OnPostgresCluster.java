package dev.streamchat.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

/**
 * A Spring test as one node of several: a real PostgreSQL, events by LISTEN/NOTIFY, short
 * node leases (3 s: short for a fast test, long enough for a busy two-core CI machine).
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@OnPostgres
@TestPropertySource(properties = { "chat.cluster.mode=postgres", "chat.cluster.node-id=" + OnPostgresCluster.NODE_ID,
		"chat.cluster.heartbeat-interval=250ms", "chat.cluster.lease-time=3s" })
public @interface OnPostgresCluster {

	/** This node's id: replies started for it are not taken for a dead node's. */
	String NODE_ID = "test-node";

}
