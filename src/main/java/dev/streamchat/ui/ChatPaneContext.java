package dev.streamchat.ui;

import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.streamchat.attachments.AttachmentIntake;
import dev.streamchat.broadcast.MessageBroadcaster;
import dev.streamchat.chat.ConversationStore;
import dev.streamchat.chat.Messages;
import dev.streamchat.history.ConversationEdits;
import dev.streamchat.history.ConversationEvents;
import dev.streamchat.history.Conversations;
import dev.streamchat.history.HistoryProperties;
import dev.streamchat.model.ModelCatalog;
import dev.streamchat.security.CurrentUser;
import dev.streamchat.sharing.SharedLinks;
import dev.streamchat.streaming.StreamingService;
import dev.streamchat.ui.markdown.MarkdownRenderer;
import org.springframework.stereotype.Component;

/**
 * What every pane (and the conversation list beside them) needs, injected once instead of
 * threaded through each constructor.
 */
@Component
record ChatPaneContext(ConversationStore panes, Messages messages, ConversationEdits edits, StreamingService streaming,
		MessageBroadcaster broadcaster, ModelCatalog catalog, UiExecutors executors, UiProperties uiProperties,
		MarkdownRenderer markdown, CurrentUser currentUser, AuthenticationContext authentication,
		Conversations conversations, ConversationEvents conversationEvents, HistoryProperties historyProperties,
		SharedLinks sharedLinks, AttachmentIntake attachmentIntake) {
}
