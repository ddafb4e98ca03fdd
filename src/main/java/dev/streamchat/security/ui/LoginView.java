package dev.streamchat.security.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.streamchat.security.UserAccounts;

/** Sign-in with Vaadin's LoginForm (username/password posted to Spring Security). */
@Route("login")
@PageTitle("Sign in · StreamChat")
@AnonymousAllowed
public class LoginView extends Div implements BeforeEnterObserver {

    private final LoginForm login = new LoginForm();
    private final UserAccounts accounts;
    private final Anchor signup = new Anchor("signup", "Create an account");

    LoginView(UserAccounts accounts) {
        this.accounts = accounts;
        addClassName("auth-view");
        login.setAction("login");
        login.setForgotPasswordButtonVisible(false);
        signup.addClassName("signup-link");
        add(new H1("StreamChat"), login, signup);
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
        login.setError(event.getLocation().getQueryParameters().getParameters().containsKey("error"));
    }
}
