/**
 * Nullness: every type here is non-null unless marked {@code @Nullable} (checked by
 * NullAway in the build). Selenium's own API is not annotated: a value it may return as
 * null (an attribute, a script's result) is checked where it is read, with a message that
 * says what the page should have had.
 */
@NullMarked
package dev.streamchat.ui.browser;

import org.jspecify.annotations.NullMarked;
