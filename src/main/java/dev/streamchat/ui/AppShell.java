package dev.streamchat.ui;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.theme.lumo.Lumo;

/** Push over a websocket, Lumo, and the app's own stylesheet (served statically, no frontend build). */
@Push
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet("context://frontend/styles/chat.css")
public class AppShell implements AppShellConfigurator {
}
