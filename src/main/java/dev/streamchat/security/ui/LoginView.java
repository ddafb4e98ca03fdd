package dev.streamchat.security.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.streamchat.security.SecurityProperties;
import dev.streamchat.security.UserAccounts;

/**
 * Sign-in: Vaadin's LoginForm (user name and password posted to Spring Security) and,
 * when single sign-on is configured, a link that starts it; either may be the only one.
 */
@Route(LoginView.ROUTE)
@PageTitle("Sign in · StreamChat")
@AnonymousAllowed
public class LoginView extends Div implements BeforeEnterObserver {

	public static final String ROUTE = "login";

	/** The query parameter a failed single sign-on comes back with. */
	public static final String SSO_ERROR = "sso-error";

	/** Where Spring Security starts the sign-in at the identity provider. */
	static final String SSO_START = "oauth2/authorization/oidc";

	private final LoginForm login = new LoginForm();

	private final UserAccounts accounts;

	private final SecurityProperties properties;

	private final Anchor signup = new Anchor("signup", "Create an account");

	private final Paragraph ssoError = new Paragraph();

	LoginView(UserAccounts accounts, SecurityProperties properties) {
		this.accounts = accounts;
		this.properties = properties;
		addClassName("auth-view");
		login.setAction(ROUTE);
		login.setForgotPasswordButtonVisible(false);
		login.setVisible(properties.passwordLogin());
		signup.addClassName("signup-link");
		add(new H1("StreamChat"), login);
		if (properties.oidc().enabled()) {
			// a plain link, not a route: the browser leaves for the identity provider
			Anchor sso = new Anchor(SSO_START, "Sign in with " + properties.oidc().displayName());
			sso.setId("sso-login");
			sso.setRouterIgnore(true);
			sso.setTarget(AnchorTarget.SELF);
			sso.addClassName("sso-link");
			ssoError.setId("sso-error");
			ssoError.addClassName("signup-error");
			ssoError.setVisible(false);
			add(sso, ssoError);
		}
		add(signup);
	}

	@Override
	public void beforeEnter(BeforeEnterEvent event) {
		boolean noAccounts = accounts.signupAllowed() && accounts.isEmpty();
		if (noAccounts) {
			// a fresh install: the first visitor creates the first account
			event.forwardTo(SignupView.class);
			return;
		}
		signup.setVisible(accounts.signupAllowed());
		var parameters = event.getLocation().getQueryParameters().getParameters();
		login.setError(parameters.containsKey("error"));
		if (parameters.containsKey(SSO_ERROR)) {
			ssoError.setText("Single sign-on did not sign you in (the provider refused, or your account here is "
					+ "disabled). Try again, or ask the administrator.");
			ssoError.setVisible(true);
		}
	}

}
