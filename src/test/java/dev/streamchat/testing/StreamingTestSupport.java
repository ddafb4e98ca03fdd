package dev.streamchat.testing;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * The service-level view of the whole app for a test ({@link PaneTestSupport}), its model
 * the fake Gemini through the real SDK.
 */
@AppTest
public abstract class StreamingTestSupport extends PaneTestSupport {

	@Autowired
	protected FakeGemini fake;

	@Override
	protected void resetModel() {
		fake.reset();
	}

}
