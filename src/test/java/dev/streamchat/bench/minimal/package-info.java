/**
 * Nullness: every type here is non-null unless marked {@code @Nullable} (checked by
 * NullAway in the build).
 */
@NullMarked
package dev.streamchat.bench.minimal;

import org.jspecify.annotations.NullMarked;
