package dev.streamchat.security.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.streamchat.security.AccountRejectedException;
import dev.streamchat.security.UserAccounts;

/**
 * Creates an account: on a fresh install for the first visitor, later only if sign-up is
 * open.
 */
@Route("signup")
@PageTitle("Create an account · StreamChat")
@AnonymousAllowed
public class SignupView extends Div implements BeforeEnterObserver {

	private final UserAccounts accounts;

	private final TextField username = new TextField("User name");

	private final PasswordField password = new PasswordField("Password");

	private final PasswordField repeat = new PasswordField("Password again");

	private final Span error = new Span();

	SignupView(UserAccounts accounts) {
		this.accounts = accounts;
		addClassName("auth-view");
		username.setId("signup-username");
		password.setId("signup-password");
		repeat.setId("signup-repeat");
		password.setHelperText("8 to 72 characters");
		error.addClassName("signup-error");
		Button create = new Button("Create account", e -> create());
		create.setId("signup-create");
		create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
		create.addClickShortcut(Key.ENTER);
		Div form = new Div(username, password, repeat, error, create);
		form.addClassName("signup-form");
		add(new H1("StreamChat"), new Paragraph("Create an account to start chatting."), form,
				new Anchor("login", "Already have an account? Sign in"));
	}

	@Override
	public void beforeEnter(BeforeEnterEvent event) {
		if (!accounts.signupAllowed()) {
			event.forwardTo(LoginView.class);
		}
	}

	private void create() {
		if (!password.getValue().equals(repeat.getValue())) {
			error.setText("The passwords differ.");
			return;
		}
		try {
			accounts.signUp(username.getValue(), password.getValue());
			getUI().ifPresent(ui -> ui.navigate(LoginView.class));
		}
		catch (AccountRejectedException rejected) {
			error.setText(rejected.getMessage());
		}
	}

}
