package dev.streamchat.ui;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param frameInterval shortest time between two pushes to one browser tab; deltas
 * arriving meanwhile go out together in the next push
 * @param liveTailChars longest open tail re-rendered as markdown on every push; past it
 * the tail grows as plain text until its block settles
 * @param pageSize messages a pane loads at first (the latest) and per step as the user
 * scrolls up
 * @param stallCheck how long a tab shows a streaming answer unchanged before it asks the
 * server once for anything a stuck push held back
 */
@ConfigurationProperties("chat.ui")
public record UiProperties(@DefaultValue("16ms") Duration frameInterval, @DefaultValue("4000") int liveTailChars,
		@DefaultValue("50") int pageSize, @DefaultValue("2s") Duration stallCheck) {
}
