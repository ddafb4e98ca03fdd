package dev.streamchat.tools;

import dev.streamchat.chat.PaneId;

/** Who a tool runs for: the conversation the reply belongs to. */
public record ToolContext(PaneId pane) {
}
