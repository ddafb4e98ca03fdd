package dev.streamchat.ui;

import java.util.Locale;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import dev.streamchat.chat.ToolPart;

/**
 * A tool call inside an answer: its name and arguments, a spinner while it runs, then its
 * result or error.
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
		switch (next.status()) {
			case RUNNING -> {
				status.setText("running…");
				result.setVisible(false);
			}
			case DONE -> {
				status.setText("done");
				result.setText(next.resultJson());
				result.removeClassName("tool-error");
				result.setVisible(true);
			}
			case FAILED -> {
				status.setText("failed");
				result.setText(next.error());
				result.addClassName("tool-error");
				result.setVisible(true);
			}
		}
	}

}
