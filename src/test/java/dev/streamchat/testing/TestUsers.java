package dev.streamchat.testing;

/** The account the test profile creates at start-up (application-test.properties). */
public final class TestUsers {

	public static final String ALICE = "alice";

	public static final String ALICE_PASSWORD = "alice-secret-password";

	private TestUsers() {
	}

}
