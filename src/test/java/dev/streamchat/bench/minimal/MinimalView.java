package dev.streamchat.bench.minimal;

import java.time.Instant;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.messages.MessageInput;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.theme.lumo.Lumo;

/**
 * The one page: the messages and the input. On submit (Enter) the prompt and an empty
 * answer are added, and a virtual thread streams the model's answer into it, a
 * {@code ui.access} per chunk, as Vaadin's AI starter does. Registered at the root by
 * {@link MinimalChat}, not by {@code @Route} (see there why).
 */
@StyleSheet(Lumo.STYLESHEET)
public class MinimalView extends VerticalLayout {

	static final String MODEL = "gemini-2.5-flash";

	public MinimalView(Client gemini) {
		setSizeFull();
		MessageList messages = new MessageList();
		messages.setMarkdown(true);
		messages.addClassName("minimal-messages");
		MessageInput input = new MessageInput();
		input.setWidthFull();
		input.addSubmitListener(event -> {
			String prompt = event.getValue();
			MessageListItem answer = new MessageListItem("", Instant.now(), "Assistant");
			messages.addItem(new MessageListItem(prompt, Instant.now(), "You"));
			messages.addItem(answer);
			UI ui = event.getSource().getUI().orElseThrow();
			Thread.startVirtualThread(() -> {
				try (ResponseStream<GenerateContentResponse> stream = gemini.models.generateContentStream(MODEL, prompt,
						null)) {
					for (GenerateContentResponse chunk : stream) {
						String text = chunk.text();
						if (text != null && !text.isEmpty()) {
							ui.access(() -> answer.appendText(text));
						}
					}
				}
				catch (RuntimeException failed) {
					ui.access(() -> answer.appendText("\n\n(failed: " + failed.getMessage() + ")"));
				}
			});
		});
		addAndExpand(messages);
		add(input);
	}

}
