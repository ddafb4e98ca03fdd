package dev.streamchat.testing;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Before each test, makes the test's own application context's security-context strategy
 * the JVM-wide one. Vaadin installs its strategy into the static
 * {@link SecurityContextHolder} when a context starts, so with several cached contexts in
 * one JVM (the H2 app, the PostgreSQL node, ...) the last one started would otherwise
 * win: {@code @WithMockUser} and real sign-ins would then write to another context's
 * holder, and views would see nobody signed in. Registered for every test in
 * {@code META-INF/spring.factories}; runs before Spring Security's
 * {@code WithSecurityContextTestExecutionListener} (order 10 000).
 */
public class ContextSecurityListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return 9_000;
	}

	@Override
	public void prepareTestInstance(TestContext testContext) {
		install(testContext);
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		install(testContext);
	}

	private static void install(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext()
				.getBeanProvider(SecurityContextHolderStrategy.class)
				.ifUnique(SecurityContextHolder::setContextHolderStrategy);
		}
	}

}
