package dev.streamchat.security.ui;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.router.QueryParameters;
import dev.streamchat.testing.AppTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An anonymous visitor of an install that already has accounts (the test profile's
 * alice).
 */
@AppTest
class AuthViewsTest extends SpringBrowserlessTest {

	@Test
	void signInIsOfferedAndSignUpIsClosedOnceAnAccountExists() {
		navigate(LoginView.class);

		assertThat(find(LoginForm.class).single().isVisible()).isTrue();
		assertThat(find(Anchor.class).withClassName("signup-link").exists()).as("no visible sign-up link").isFalse();

		UI.getCurrent().navigate(SignupView.class);

		assertThat(getCurrentView()).as("sign-up is closed: back to sign-in").isInstanceOf(LoginView.class);
	}

	@Test
	void aFailedSignInSaysSo() {
		UI.getCurrent().navigate("login", QueryParameters.of("error", ""));

		assertThat(find(LoginForm.class).single().isError()).isTrue();
	}

}
