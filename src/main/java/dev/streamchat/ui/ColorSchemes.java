package dev.streamchat.ui;

import java.util.Objects;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.ColorScheme;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.streamchat.preferences.Appearance;
import dev.streamchat.preferences.UserPreferences;
import dev.streamchat.security.CurrentUser;
import org.jsoup.nodes.Element;
import org.springframework.stereotype.Component;

/**
 * Puts the user's colour scheme on the page's {@code <html>} element as the server sends
 * it, so the first paint already has the right colours (no light flash before dark). Lumo
 * follows the {@code theme} attribute: {@code light-dark} follows the operating system's
 * setting.
 */
@Component
class ColorSchemes implements VaadinServiceInitListener {

	private final CurrentUser currentUser;

	private final UserPreferences preferences;

	ColorSchemes(CurrentUser currentUser, UserPreferences preferences) {
		this.currentUser = currentUser;
		this.preferences = preferences;
	}

	@Override
	public void serviceInit(ServiceInitEvent event) {
		// the page request passed Spring Security: its context says who asks (nobody on
		// the sign-in page)
		event.addIndexHtmlRequestListener(response -> {
			Appearance appearance = currentUser.id().map(preferences::appearance).orElse(Appearance.SYSTEM);
			ColorScheme.Value scheme = of(appearance);
			Element html = Objects.requireNonNull(response.getDocument().head().parent(), "<head> is in <html>");
			html.attr("theme", scheme.getThemeValue());
			html.attr("style", "color-scheme: " + scheme.getValue() + ";");
		});
	}

	/** Stores the user's choice and applies it to this tab at once. */
	void choose(UI ui, Appearance appearance) {
		currentUser.id().ifPresent(user -> preferences.setAppearance(user, appearance));
		ui.getPage().setColorScheme(of(appearance));
	}

	Appearance current() {
		return currentUser.id().map(preferences::appearance).orElse(Appearance.SYSTEM);
	}

	static ColorScheme.Value of(Appearance appearance) {
		return switch (appearance) {
			case SYSTEM -> ColorScheme.Value.LIGHT_DARK;
			case LIGHT -> ColorScheme.Value.LIGHT;
			case DARK -> ColorScheme.Value.DARK;
		};
	}

}
