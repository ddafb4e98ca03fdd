package dev.streamchat.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.vaadin.flow.dom.Element;
import dev.streamchat.chat.ConversationId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The narrow screen's pane switcher as the browser receives it. */
class PaneSwitcherTest {

	private final ConversationId first = new ConversationId(1);

	private final ConversationId second = new ConversationId(2);

	private final PaneSwitcher switcher = new PaneSwitcher(id -> {
	}, () -> {
	});

	/** The select's items as elements, in order. */
	private List<Element> items() {
		return descendants(switcher.getElement())
			.filter(e -> !e.isTextNode() && "vaadin-select-item".equals(e.getTag()))
			.toList();
	}

	private static Stream<Element> descendants(Element element) {
		return element.getChildren().flatMap(child -> Stream.concat(Stream.of(child), descendants(child)));
	}

	private static Map<ConversationId, String> titles(Object... idsAndTitles) {
		Map<ConversationId, String> titles = new LinkedHashMap<>();
		for (int i = 0; i < idsAndTitles.length; i += 2) {
			titles.put((ConversationId) idsAndTitles[i], (String) idsAndTitles[i + 1]);
		}
		return titles;
	}

	/**
	 * A rename (as after a conversation's first answer) relabels the item in place: new
	 * items make the browser's list box scroll its selected item into view, a synchronous
	 * layout of the whole page in the middle of a push, which held a long answer's last
	 * frame for 57-128 ms (issue 15).
	 */
	@Test
	void aRenamedPaneKeepsItsItemWithTheNewTitle() {
		switcher.show(titles(first, "New chat", second, "Other"), first);
		List<Element> before = items();
		assertThat(before).extracting(Element::getTextRecursively).containsExactly("New chat", "Other");

		switcher.show(titles(first, "Rust lifetimes explained", second, "Other"), first);

		List<Element> after = items();
		assertThat(after).extracting(Element::getTextRecursively).containsExactly("Rust lifetimes explained", "Other");
		assertThat(after.get(0)).as("the same item, relabelled").isEqualTo(before.get(0));
		assertThat(after.get(1)).isEqualTo(before.get(1));
	}

	@Test
	void anOpenedOrClosedPaneChangesTheItems() {
		switcher.show(titles(first, "One"), first);
		switcher.show(titles(first, "One", second, "Two"), second);
		assertThat(items()).extracting(Element::getTextRecursively).containsExactly("One", "Two");

		switcher.show(titles(second, "Two"), second);
		assertThat(items()).extracting(Element::getTextRecursively).containsExactly("Two");
	}

}
