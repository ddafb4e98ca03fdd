package dev.streamchat.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeDetails;
import dev.streamchat.broadcast.MessageEvent;
import dev.streamchat.chat.Grounding;
import dev.streamchat.chat.ToolPart;
import dev.streamchat.ui.markdown.Citations;
import dev.streamchat.ui.markdown.MarkdownRenderer;
import org.jspecify.annotations.Nullable;

/**
 * The body of a live answer (one that streamed while its row was shown): a collapsible
 * "Thinking" section (put into the row above the answer when there is thinking to show)
 * and the answer's markdown, with tool cards standing where the model called them. While
 * the answer streams, each settled markdown block is rendered once and only the open tail
 * again. (A settled answer is markup: {@link RowMarkup}.)
 * <p>
 * Deltas carry their offset (answer and thinking each have their own), tool updates their
 * part index and the answer offset they stand at: what is already shown is skipped, and a
 * part that starts beyond it is refused, so that the row rebuilds the body from the reply
 * so far.
 */
final class AnswerBody {

	private final Div row;

	private final MarkdownRenderer markdown;

	private final int liveTailChars;

	private final Div content;

	private final List<ToolCard> cards = new ArrayList<>();

	/** The thinking section, which {@link #build} makes. */
	private @Nullable ThinkingSection thinkingSection;

	private @Nullable MarkdownFlow thinking;

	/** The streaming text after the last tool card; null until text follows it. */
	private @Nullable MarkdownFlow current;

	private int length;

	private int thinkingLength;

	/**
	 * The answer's text while it streams, to rebuild it when its web sources arrive; null
	 * once finished.
	 */
	private @Nullable StringBuilder streamingText;

	private @Nullable Grounding grounding;

	/**
	 * Where other servers took the answer up (answer offsets), kept for a rebuild when
	 * sources arrive.
	 */
	private List<Integer> seams = List.of();

	/** The numbered sources under the answer; null while there are none. */
	private @Nullable Div sourcesBox;

	/**
	 * @param content the row's element for the answer; the thinking section goes into the
	 * row before it
	 */
	AnswerBody(Div row, Div content, MarkdownRenderer markdown, int liveTailChars) {
		this.row = row;
		this.content = content;
		this.markdown = markdown;
		this.liveTailChars = liveTailChars;
	}

	/** Length of the answer text shown, in UTF-16 units. */
	int length() {
		return length;
	}

	int thinkingLength() {
		return thinkingLength;
	}

	List<ToolCard> cards() {
		return List.copyOf(cards);
	}

	/** The thinking section (hidden while there are no thoughts). */
	@Nullable NativeDetails thinkingSection() {
		ThinkingSection section = thinkingSection;
		return section == null ? null : section.box();
	}

	private record ThinkingSection(NativeDetails box, Div body) {
	}

	/** The thinking section, made now if there is none yet. */
	private ThinkingSection ensureThinking() {
		ThinkingSection section = thinkingSection;
		if (section == null) {
			NativeDetails box = new NativeDetails();
			box.addClassName("thinking");
			box.setSummaryText("Thinking");
			Div body = new Div();
			body.addClassNames("thinking-body", "markdown");
			box.setContent(body);
			row.addComponentAtIndex(row.indexOf(content), box);
			section = new ThinkingSection(box, body);
			thinkingSection = section;
		}
		return section;
	}

	/** The thinking section, which {@link #build} always makes. */
	private NativeDetails liveThinkingBox() {
		return Objects.requireNonNull(thinkingSection, "a streaming answer has a thinking section").box();
	}

	/**
	 * Builds the parts from scratch, as flows that keep growing: a marker stands at each
	 * seam where another server took the answer up, and citation markers and the sources
	 * when the answer is grounded in web sources.
	 */
	void build(String text, String thoughts, List<ToolPart> parts, List<Integer> seams, @Nullable Grounding sources) {
		thinkingLength = thoughts.length();
		ThinkingSection section = ensureThinking();
		NativeDetails box = section.box();
		section.body().removeAll();
		MarkdownFlow flow = new MarkdownFlow(markdown, liveTailChars);
		thinking = flow;
		section.body().add(flow);
		flow.append(thoughts);
		box.setVisible(!thoughts.isEmpty());
		// open while only thoughts are coming; closed (and reopenable) once the answer
		// starts
		box.setOpen(text.isEmpty() && parts.isEmpty());
		buildAnswer(text, parts, seams, sources);
	}

	/**
	 * The answer part only (text, seams, tool cards, sources); the thinking stays as it
	 * is.
	 */
	private void buildAnswer(String text, List<ToolPart> parts, List<Integer> seams, @Nullable Grounding sources) {
		content.removeAll();
		cards.clear();
		grounding = sources;
		this.seams = seams;
		showSources();
		streamingText = new StringBuilder(text);
		current = null;
		int from = 0;
		int nextSeam = 0;
		for (ToolPart part : parts) {
			int anchor = Math.min(Math.max(part.anchor(), from), text.length());
			for (; nextSeam < seams.size() && seams.get(nextSeam) <= anchor; nextSeam++) {
				from = addSeam(text, from, seams.get(nextSeam), sources);
			}
			addText(Citations.mark(text.substring(from, anchor), from, sources));
			addCard(part);
			from = anchor;
		}
		for (; nextSeam < seams.size(); nextSeam++) {
			from = addSeam(text, from, seams.get(nextSeam), sources);
		}
		addText(Citations.mark(text.substring(from), from, sources));
		length = text.length();
	}

	/** The text up to a seam, then its marker; returns where the text goes on. */
	private int addSeam(String text, int from, int seam, @Nullable Grounding sources) {
		int at = Math.min(Math.max(seam, from), text.length());
		addText(Citations.mark(text.substring(from, at), from, sources));
		if (current != null) {
			current.finish();
			current = null;
		}
		Div marker = new Div();
		marker.addClassName("seam");
		marker.setText("continued after a server restart");
		marker.getElement().setAttribute("role", "note");
		content.add(marker);
		return at;
	}

	/**
	 * The answer's web sources arrived or changed while it streams: the answer is shown
	 * again with its citation markers (once or twice per answer), and the sources under
	 * it.
	 */
	void ground(Grounding sources) {
		if (streamingText == null) {
			return;
		}
		List<ToolPart> parts = cards.stream().map(ToolCard::part).toList();
		buildAnswer(streamingText.toString(), parts, seams, sources);
	}

	private void showSources() {
		String html = Citations.sourcesHtml(grounding);
		if (html.isEmpty()) {
			if (sourcesBox != null) {
				row.remove(sourcesBox);
				sourcesBox = null;
			}
			return;
		}
		if (sourcesBox == null) {
			sourcesBox = new Div();
			sourcesBox.addClassName("sources");
			sourcesBox.getElement().setAttribute("role", "group");
			sourcesBox.getElement().setAttribute("aria-label", "Sources");
			row.addComponentAtIndex(row.indexOf(content) + 1, sourcesBox);
		}
		sourcesBox.getElement().setProperty("innerHTML", html);
	}

	/** The last element of the body in the row: what the stats and error go after. */
	Div last() {
		return sourcesBox != null ? sourcesBox : content;
	}

	private void addText(String text) {
		MarkdownFlow flow = current;
		if (flow == null) {
			flow = new MarkdownFlow(markdown, liveTailChars);
			content.add(flow);
			current = flow;
		}
		flow.append(text);
	}

	private void addCard(ToolPart part) {
		if (current != null) {
			current.finish();
			current = null;
		}
		ToolCard card = new ToolCard(part);
		cards.add(card);
		content.add(card);
	}

	/**
	 * @return false when the delta starts beyond what is shown (the body must be rebuilt)
	 */
	boolean append(MessageEvent.Delta delta) {
		if (delta.end() <= length) {
			return true;
		}
		if (delta.offset() > length) {
			return false;
		}
		String fresh = length == delta.offset() ? delta.text() : delta.text().substring(length - delta.offset());
		if (length == 0 && liveThinkingBox().isOpen()) {
			liveThinkingBox().setOpen(false);
		}
		length += fresh.length();
		if (streamingText != null) {
			streamingText.append(fresh);
		}
		addText(fresh);
		return true;
	}

	/**
	 * @return false when the delta starts beyond what is shown (the body must be rebuilt)
	 */
	boolean append(MessageEvent.ThoughtDelta delta) {
		if (delta.end() <= thinkingLength) {
			return true;
		}
		if (delta.offset() > thinkingLength) {
			return false;
		}
		String fresh = thinkingLength == delta.offset() ? delta.text()
				: delta.text().substring(thinkingLength - delta.offset());
		if (thinkingLength == 0) {
			liveThinkingBox().setVisible(true);
			liveThinkingBox().setOpen(length == 0 && cards.isEmpty());
		}
		thinkingLength += fresh.length();
		Objects.requireNonNull(thinking, "a streaming answer has its thinking flow").append(fresh);
		return true;
	}

	/**
	 * @return false when the call is not the next one at the end of the answer (the body
	 * must be rebuilt)
	 */
	boolean apply(ToolPart part) {
		if (part.seq() < cards.size()) {
			cards.get(part.seq()).update(part);
		}
		else if (part.seq() == cards.size() && part.anchor() == length) {
			if (liveThinkingBox().isOpen()) {
				liveThinkingBox().setOpen(false);
			}
			addCard(part);
		}
		else {
			return false;
		}
		return true;
	}

	/**
	 * The answer ended: its open tails become settled blocks, and the thinking closes.
	 */
	void finish() {
		streamingText = null;
		if (thinking != null) {
			thinking.finish();
		}
		if (current != null) {
			current.finish();
		}
		if (thinkingSection != null) {
			thinkingSection.box().setOpen(false);
		}
	}

}
