package dev.streamchat.ui;

import java.util.Locale;
import java.util.Objects;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.ui.markdown.Markup;

/**
 * A tool call inside an answer: its name and arguments, a spinner while it runs, then its
 * result or error. The component follows a call of a streaming answer; a settled answer
 * carries the same structure as markup ({@link #html}).
 */
final class ToolCard extends Div {

	private final Span status = new Span();

	private final Pre result = new Pre();

	private ToolPart part;

	ToolCard(ToolPart part) {
		addClassName("tool-card");
		getElement().setAttribute("data-seq", Integer.toString(part.seq()));
		Span spinner = new Span();
		spinner.addClassName("tool-spinner");
		spinner.getElement().setAttribute("aria-hidden", "true");
		Span name = new Span(part.name());
		name.addClassName("tool-name");
		status.addClassName("tool-status");
		Div head = new Div(spinner, new Span("Tool "), name, status);
		head.addClassName("tool-head");
		Pre args = new Pre(part.argsJson());
		args.addClassName("tool-args");
		result.addClassName("tool-result");
		add(head, args, result);
		show(part);
	}

	ToolPart part() {
		return part;
	}

	/** Shows a later state of the call; a call that has ended stays as it ended. */
	void update(ToolPart next) {
		if (part.status().isFinal()) {
			return;
		}
		show(next);
	}

	private void show(ToolPart next) {
		if (part != null) {
			removeClassName(part.status().name().toLowerCase(Locale.ROOT));
		}
		part = next;
		addClassName(next.status().name().toLowerCase(Locale.ROOT));
		status.setText(statusText(next));
		switch (next.status()) {
			case RUNNING -> result.setVisible(false);
			case DONE -> {
				result.setText(next.resultJson());
				result.removeClassName("tool-error");
				result.setVisible(true);
			}
			case FAILED -> {
				result.setText(next.error());
				result.addClassName("tool-error");
				result.setVisible(true);
			}
		}
	}

	private static String statusText(ToolPart part) {
		return switch (part.status()) {
			case RUNNING -> "running…";
			case DONE -> "done";
			case FAILED -> "failed";
		};
	}

	/**
	 * The card of a settled answer, as markup: the component's structure, with no result
	 * while the call is still running (an answer that ended with a call unfinished).
	 */
	static String html(ToolPart part) {
		String result = switch (part.status()) {
			case RUNNING -> "";
			case DONE -> Markup.element("pre", "tool-result", Objects.requireNonNullElse(part.resultJson(), ""));
			case FAILED ->
				Markup.element("pre", "tool-result tool-error", Objects.requireNonNullElse(part.error(), ""));
		};
		return "<div class=\"tool-card " + part.status().name().toLowerCase(Locale.ROOT) + "\" data-seq=\"" + part.seq()
				+ "\"><div class=\"tool-head\"><span class=\"tool-spinner\" aria-hidden=\"true\"></span><span>Tool </span>"
				+ Markup.element("span", "tool-name", part.name())
				+ Markup.element("span", "tool-status", statusText(part)) + "</div>"
				+ Markup.element("pre", "tool-args", part.argsJson()) + result + "</div>";
	}

}
