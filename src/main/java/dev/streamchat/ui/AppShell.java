package dev.streamchat.ui;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.component.page.Viewport;
import com.vaadin.flow.theme.lumo.Lumo;

/**
 * Push over a websocket, Lumo, and the app's own stylesheets (served statically, no
 * frontend build).
 */
@Push
// interactive-widget: the on-screen keyboard shrinks the layout, so the prompt stays
// above it (Android);
// frontend/viewport.js does the same with the visual viewport where that is not supported
// (iOS)
@Viewport("width=device-width, initial-scale=1, interactive-widget=resizes-content")
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet("context://frontend/styles/chat.css")
@StyleSheet("context://frontend/styles/theme.css")
@StyleSheet("context://frontend/styles/responsive.css")
@StyleSheet("context://frontend/styles/a11y.css")
@StyleSheet("context://frontend/styles/sources.css")
public class AppShell implements AppShellConfigurator {

}
