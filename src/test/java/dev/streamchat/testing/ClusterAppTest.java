package dev.streamchat.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@link AppTest} as one node of several ({@link OnPostgresCluster}). Every class with
 * this annotation shares one Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AppTest
@OnPostgresCluster
public @interface ClusterAppTest {

	/** This node's id: replies started for it are not taken for a dead node's. */
	String NODE_ID = OnPostgresCluster.NODE_ID;

}
