package dev.streamchat.ui;

import java.util.List;
import java.util.function.Function;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextArea;
import dev.streamchat.streaming.FanOut;
import dev.streamchat.streaming.PromptRejectedException;

/**
 * "Send to all panes": one prompt, typed once, goes to every open pane, each answering
 * with its own model and settings side by side; afterwards each pane goes on by itself.
 * Shown under the header when the header's button opens it. What could not be sent is
 * said here, and in the pane.
 */
final class SendToAllBar extends Div {

	private final TextArea prompt = new TextArea();

	private final Span status = new Span();

	/**
	 * @param send sends a prompt to every open pane and tells what happened in each
	 */
	SendToAllBar(Function<String, List<FanOut>> send) {
		addClassName("send-all-bar");
		getElement().setAttribute("role", "region");
		getElement().setAttribute("aria-label", "Send to all panes");
		prompt.setId("send-all-prompt");
		prompt.setAriaLabel("Message to all panes");
		prompt.setPlaceholder("One message for every open pane, to compare their answers");
		prompt.setMaxHeight("8em");
		Button sendAll = new Button("Send to all panes");
		sendAll.setId("send-all");
		sendAll.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
		status.addClassName("send-all-status");
		status.getElement().setAttribute("role", "status");
		sendAll.addClickListener(e -> {
			try {
				List<FanOut> results = send.apply(prompt.getValue());
				long sent = results.stream().filter(FanOut::sent).count();
				status.setText(sent == results.size() ? "Sent to all " + sent + " panes."
						: "Sent to " + sent + " of " + results.size() + " panes; the others say why.");
				if (sent > 0) {
					prompt.clear();
				}
			}
			catch (PromptRejectedException rejected) {
				status.setText(rejected.getMessage());
			}
		});
		add(prompt, sendAll, status);
		setVisible(false);
	}

	String status() {
		return status.getText();
	}

}
