package dev.streamchat.ui;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import dev.streamchat.chat.Conversation;
import dev.streamchat.chat.ConversationId;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.Messages;
import dev.streamchat.history.ConversationEvents;
import dev.streamchat.history.Conversations;
import dev.streamchat.testing.AppTest;
import dev.streamchat.testing.FakeGemini.Reply;
import dev.streamchat.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;

import static org.assertj.core.api.Assertions.assertThat;

/** The side list of conversations as a user drives it, without a browser. */
@AppTest
@WithMockUser(username = TestUsers.ALICE)
class HistoryViewTest extends ViewTestSupport {

	@Autowired
	ConversationStore paneStore;

	@Autowired
	Messages messageStore;

	@Autowired
	Conversations conversations;

	@Autowired
	ConversationEvents conversationEvents;

	@Autowired
	ChatPaneContext context;

	/**
	 * The chat page as a reload shows it. (Navigating to the route the UI already shows
	 * keeps the view it has, built before the test stored anything.)
	 */
	void reload() {
		navigate(ChatView.class);
		find(ChatView.class).all().forEach(view -> view.getElement().removeFromParent());
		UI.getCurrent().add(new ChatView(context, colorSchemes));
	}

	// ---- what the user sees

	Optional<Div> entry(ConversationId id) {
		return find(Div.class).withClassName("history-entry")
			.all()
			.stream()
			.filter(e -> id.toString().equals(e.getElement().getAttribute("data-pane-id")))
			.findFirst();
	}

	/** The entry's title as shown; the entries, in order, are what the list shows. */
	String titleOf(Div entry) {
		return find(NativeButton.class, entry).withClassName("history-open").single().getText();
	}

	List<String> listedIds() {
		return find(Div.class).withClassName("history-entry")
			.all()
			.stream()
			.map(e -> e.getElement().getAttribute("data-pane-id"))
			.toList();
	}

	Optional<ChatPane> paneShown(ConversationId id) {
		return find(ChatPane.class).all().stream().filter(p -> p.paneId().equals(id)).findFirst();
	}

	String paneTitle(ChatPane pane) {
		return find(Span.class, pane).withClassName("pane-title").single().getText();
	}

	<T extends Component> T in(Div entry, Class<T> type, String className) {
		return find(type, entry).withClassName(className).single();
	}

	List<Notification> notifications(String className) {
		return find(Notification.class).withClassName(className).all().stream().filter(Notification::isOpened).toList();
	}

	// ---- tests

	@Test
	void newChatOpensAnEmptyPaneAndListsItMarkedOpen() {
		navigate(ChatView.class);
		int panesBefore = find(ChatPane.class).all().size();

		test(find(Button.class).id("new-chat")).click();

		List<ChatPane> panes = find(ChatPane.class).all();
		assertThat(panes).hasSize(panesBefore + 1);
		ConversationId created = panes.getLast().paneId();
		Div entry = entry(created).orElseThrow();
		assertThat(entry.hasClassName("open")).isTrue();
		assertThat(titleOf(entry)).startsWith("Chat ");
		assertThat(listedIds().getFirst()).as("the newest conversation comes first").isEqualTo(created.toString());
	}

	@Test
	void clickingAClosedConversationOpensItAsTheLastPaneWithItsMessages() {
		Conversation closed = paneStore.create(alice(), "gemini-2.5-flash");
		messageStore.addUserMessage(closed.owner(), closed.id(), "an old question about otters");
		paneStore.close(alice(), closed.id());
		reload();
		assertThat(paneShown(closed.id())).isEmpty();
		Div entry = entry(closed.id()).orElseThrow();
		assertThat(entry.hasClassName("open")).isFalse();

		test(in(entry, NativeButton.class, "history-open")).click();

		ChatPane opened = find(ChatPane.class).last();
		assertThat(opened.paneId()).isEqualTo(closed.id());
		assertThat(ChatViewTest.userText(find(MessageRow.class, opened).single()))
			.isEqualTo("an old question about otters");
		assertThat(opened.hasClassName("highlighted")).isTrue();
		assertThat(entry(closed.id()).orElseThrow().hasClassName("open")).isTrue();

		// an open one is highlighted, not opened twice
		Conversation other = conversations.create(alice());
		reload();
		test(in(entry(closed.id()).orElseThrow(), NativeButton.class, "history-open")).click();
		assertThat(find(ChatPane.class).all().stream().filter(p -> p.paneId().equals(closed.id()))).hasSize(1);
		assertThat(paneShown(closed.id()).orElseThrow().hasClassName("highlighted")).isTrue();
		assertThat(paneShown(other.id()).orElseThrow().hasClassName("highlighted")).isFalse();
	}

	@Test
	void renamingInTheListRenamesThePaneToo() {
		navigate(ChatView.class);
		test(find(Button.class).id("new-chat")).click();
		ChatPane pane = find(ChatPane.class).last();
		Div entry = entry(pane.paneId()).orElseThrow();

		test(in(entry, Button.class, "history-rename")).click();
		TextField field = in(entry, TextField.class, "history-title-field");
		assertThat(field.getValue()).startsWith("Chat ");
		test(field).setValue("Holiday plans");

		assertThat(titleOf(entry(pane.paneId()).orElseThrow())).isEqualTo("Holiday plans");
		assertThat(paneTitle(pane)).isEqualTo("Holiday plans");
		assertThat(paneStore.conversation(alice(), pane.paneId()).orElseThrow().title()).isEqualTo("Holiday plans");
	}

	@Test
	void aChangeElsewhereWhileTheUserTypesATitleKeepsTheFieldAndShowsOnceDone() {
		navigate(ChatView.class);
		test(find(Button.class).id("new-chat")).click();
		ChatPane other = find(ChatPane.class).last();
		test(find(Button.class).id("new-chat")).click();
		ChatPane pane = find(ChatPane.class).last();
		test(in(entry(pane.paneId()).orElseThrow(), Button.class, "history-rename")).click();
		TextField field = in(entry(pane.paneId()).orElseThrow(), TextField.class, "history-title-field");

		conversations.rename(alice(), other.paneId(), "Renamed elsewhere");

		// the event has arrived (the other pane shows it), and the field the user types
		// in stays
		awaitUi(() -> paneTitle(other).equals("Renamed elsewhere"));
		assertThat(field.isAttached()).isTrue();
		test(field).setValue("Trip");
		assertThat(titleOf(entry(pane.paneId()).orElseThrow())).isEqualTo("Trip");
		assertThat(titleOf(entry(other.paneId()).orElseThrow())).isEqualTo("Renamed elsewhere");
	}

	@Test
	void aRenameElsewhereShowsInTheListAndThePaneHere() {
		navigate(ChatView.class);
		test(find(Button.class).id("new-chat")).click();
		ChatPane pane = find(ChatPane.class).last();

		conversations.rename(alice(), pane.paneId(), "Renamed in another tab");

		awaitUi(() -> titleOf(entry(pane.paneId()).orElseThrow()).equals("Renamed in another tab"));
		assertThat(paneTitle(pane)).isEqualTo("Renamed in another tab");
	}

	record SameChatInTwoTabs(ConversationId id, ChatPane here, ChatPane there) {
	}

	/**
	 * A new chat, and a second tab of the same user: another view of the same
	 * conversations, with its own subscriptions.
	 */
	SameChatInTwoTabs newChatInTwoTabs() {
		reload();
		test(find(Button.class).id("new-chat")).click();
		ConversationId id = find(ChatPane.class).last().paneId();
		ChatView otherTab = new ChatView(context, colorSchemes);
		UI.getCurrent().add(otherTab);
		return new SameChatInTwoTabs(id, showing(id, find(ChatPane.class).all()),
				showing(id, find(ChatPane.class, otherTab).all()));
	}

	private static ChatPane showing(ConversationId id, List<ChatPane> panes) {
		return panes.stream().filter(p -> p.paneId().equals(id)).findFirst().orElseThrow();
	}

	@Test
	void aModelOrSettingsChangedInOneTabShowInTheUsersOtherTab() {
		SameChatInTwoTabs tabs = newChatInTwoTabs();
		ChatPane here = tabs.here();
		ChatPane there = tabs.there();
		ConversationId id = tabs.id();
		assertThat(here).isNotSameAs(there);
		Select<String> modelThere = find(Select.class, there).withClassName("model-picker").single();
		assertThat(modelThere.getValue()).isEqualTo("gemini-2.5-flash");
		// to look at them there
		test(find(Button.class, there).withClassName("settings-toggle").single()).click();

		test(find(Select.class, here).withClassName("model-picker").single()).selectItem("gemini-2.5-pro");
		test(find(Button.class, here).withClassName("settings-toggle").single()).click();
		test(find(TextArea.class, here).withClassName("system-instruction").single()).setValue("Answer briefly.");
		test(find(NumberField.class, here).withClassName("temperature").single()).setValue(0.3);
		test(find(Button.class, here).withClassName("save-settings").single()).click();

		TextArea instructionThere = find(TextArea.class, there).withClassName("system-instruction").single();
		try {
			awaitUi(() -> "gemini-2.5-pro".equals(modelThere.getValue())
					&& "Answer briefly.".equals(instructionThere.getValue()));
		}
		catch (AssertionError e) {
			throw new AssertionError("the other tab shows model " + modelThere.getValue() + ", instruction '"
					+ instructionThere.getValue() + "'; stored: " + paneStore.openConversation(alice(), id)
					+ "; listeners: " + conversationEvents.subscriberCount(), e);
		}
		assertThat(find(NumberField.class, there).withClassName("temperature").single().getValue()).isEqualTo(0.3);
		Conversation stored = paneStore.openConversation(alice(), id).orElseThrow();
		assertThat(stored.model()).isEqualTo("gemini-2.5-pro");
		assertThat(stored.systemInstruction()).isEqualTo("Answer briefly.");
	}

	@Test
	void settingsBeingTypedSurviveAChangeFromAnotherTab() {
		SameChatInTwoTabs tabs = newChatInTwoTabs();
		ChatPane here = tabs.here();
		ChatPane there = tabs.there();
		ConversationId id = tabs.id();
		test(find(Button.class, here).withClassName("settings-toggle").single()).click();
		TextArea typing = find(TextArea.class, here).withClassName("system-instruction").single();
		test(typing).setValue("Answer in verse.");

		// the other tab changes the model: an event with the stored (empty) instruction
		// reaches this one while its instruction is typed but not saved
		test(find(Select.class, there).withClassName("model-picker").single()).selectItem("gemini-2.5-pro");
		Select<String> modelHere = find(Select.class, here).withClassName("model-picker").single();
		awaitUi(() -> "gemini-2.5-pro".equals(modelHere.getValue()));

		assertThat(typing.getValue()).as("the unsaved instruction").isEqualTo("Answer in verse.");
		test(find(Button.class, here).withClassName("save-settings").single()).click();
		assertThat(paneStore.openConversation(alice(), id).orElseThrow().systemInstruction())
			.isEqualTo("Answer in verse.");
	}

	@Test
	void deletingRemovesConversationAndPaneAtOnceAndUndoBringsThemBack() {
		navigate(ChatView.class);
		test(find(Button.class).id("new-chat")).click();
		ConversationId id = find(ChatPane.class).last().paneId();
		messageStore.addUserMessage(alice(), id, "a message worth keeping: kingfisher");

		test(in(entry(id).orElseThrow(), Button.class, "history-delete")).click();

		assertThat(entry(id)).isEmpty();
		assertThat(paneShown(id)).isEmpty();
		assertThat(conversations.search(alice(), "kingfisher", 10)).isEmpty();
		Notification undoOffer = notifications("undo-delete").getFirst();
		assertThat(undoOffer.getDuration()).isEqualTo(8_000);

		test(find(Button.class, undoOffer).withClassName("undo").single()).click();

		assertThat(entry(id)).isPresent();
		assertThat(paneShown(id)).isPresent();
		assertThat(ChatViewTest.userText(find(MessageRow.class, paneShown(id).get()).single())).contains("kingfisher");
		assertThat(conversations.search(alice(), "kingfisher", 10)).hasSize(1);
	}

	@Test
	void aConversationIsNotDeletedWhileAnAnswerStreamsInItAndTheUserIsToldWhy() {
		CountDownLatch release = new CountDownLatch(1);
		fake.when("wait", Reply.chunks("Partial ", "answer").holdAfter(1, release));
		navigate(ChatView.class);
		test(find(Button.class).id("new-chat")).click();
		ChatPane pane = find(ChatPane.class).last();
		test(find(TextArea.class, pane).withClassName("prompt").single()).setValue("wait for it");
		test(find(Button.class, pane).withClassName("send").single()).click();
		awaitUi(() -> find(MessageRow.class, pane).all().size() == 2);

		try {
			test(in(entry(pane.paneId()).orElseThrow(), Button.class, "history-delete")).click();

			assertThat(notifications("history-error")).singleElement()
				.satisfies(n -> assertThat(test(n).getText()).contains("still streaming"));
			assertThat(entry(pane.paneId())).isPresent();
			assertThat(paneShown(pane.paneId())).isPresent();
		}
		finally {
			release.countDown();
		}
		awaitUi(() -> !find(MessageRow.class, pane).all().get(1).isStreaming());
	}

	@Test
	void searchingShowsMatchesWithTitleAndExcerptAndAClickOpensTheConversation() {
		Conversation match = paneStore.create(alice(), "gemini-2.5-flash");
		messageStore.addUserMessage(match.owner(), match.id(), "Where do the Zanzibar leopards live?");
		conversations.rename(alice(), match.id(), "Leopards");
		paneStore.close(alice(), match.id());
		reload();

		test(find(TextField.class).withClassName("history-search").single()).setValue("zanzibar LEOPARDS");

		NativeButton hit = find(NativeButton.class).withClassName("search-hit").single();
		assertThat(find(Span.class, hit).withClassName("hit-title").single().getText()).isEqualTo("Leopards");
		assertThat(find(Span.class, hit).withClassName("hit-snippet").single().getText())
			.isEqualTo("Where do the Zanzibar leopards live?");

		test(hit).click();

		assertThat(find(ChatPane.class).last().paneId()).isEqualTo(match.id());
	}

	@Test
	void theExportDownloadsTheConversationAsMarkdown() {
		Conversation pane = paneStore.create(alice(), "gemini-2.5-flash");
		messageStore.addUserMessage(pane.owner(), pane.id(), "Name three rivers.");
		conversations.rename(alice(), pane.id(), "Rivers");
		reload();
		Anchor export = in(entry(pane.id()).orElseThrow(), Anchor.class, "history-export");

		ByteArrayOutputStream file = new ByteArrayOutputStream();
		test(export).download(file);

		assertThat(export.getHref()).endsWith("Rivers.md");
		assertThat(file.toString(StandardCharsets.UTF_8)).isEqualTo("""
				# Rivers

				**You:**

				Name three rivers.
				""");
	}

	@Test
	void theFirstAnswerTitlesTheConversationInTheListAndThePane() {
		navigate(ChatView.class);
		test(find(Button.class).id("new-chat")).click();
		ChatPane pane = find(ChatPane.class).last();

		test(find(TextArea.class, pane).withClassName("prompt").single())
			.setValue("Which bird builds the biggest nest?");
		test(find(Button.class, pane).withClassName("send").single()).click();

		// model titles are off in the shared test context: the prompt's first words
		awaitUi(() -> paneTitle(pane).equals("Which bird builds the biggest nest?"));
		assertThat(titleOf(entry(pane.paneId()).orElseThrow())).isEqualTo("Which bird builds the biggest nest?");
		assertThat(listedIds().getFirst()).isEqualTo(pane.paneId().toString());
	}

	@Test
	void leavingThePageStopsFollowingConversationEvents() {
		navigate(ChatView.class);
		int listening = conversationEvents.subscriberCount();
		assertThat(listening).isPositive();

		getCurrentView().getElement().removeFromParent();

		assertThat(conversationEvents.subscriberCount()).isEqualTo(listening - 1);
	}

}
