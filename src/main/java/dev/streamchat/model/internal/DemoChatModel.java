package dev.streamchat.model.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.streamchat.model.ChatModel;
import dev.streamchat.model.ModelChunk;
import dev.streamchat.model.ModelException;
import dev.streamchat.model.ModelProperties;
import dev.streamchat.model.ModelRequest;
import dev.streamchat.model.ModelStream;

/**
 * An offline stand-in for Gemini, used when no API key is configured: it streams a realistic
 * markdown answer at a model's pace so the whole app can be tried on a fresh machine.
 */
public class DemoChatModel implements ChatModel {

    public static final String MODEL = "demo (offline)";

    private final ModelProperties.Demo pace;

    public DemoChatModel(ModelProperties.Demo pace) {
        this.pace = pace;
    }

    @Override
    public ModelStream stream(ModelRequest request) {
        return new DemoStream(answerFor(request.lastUserText(), request.history().size()), pace);
    }

    static String answerFor(String prompt, int turns) {
        String topic = prompt.strip().replaceAll("\\s+", " ");
        if (topic.length() > 80) {
            topic = topic.substring(0, 77) + "…";
        }
        String lower = prompt.toLowerCase(Locale.ROOT);
        String intro = "*This is the offline demo model: no API key is configured, so this answer is canned.* "
                + "You asked about **" + escape(topic) + "**";
        if (turns > 1) {
            intro += " (message " + (turns + 1) / 2 + " of this conversation)";
        }
        intro += ".\n\n";
        if (lower.contains("code") || lower.contains("java") || lower.contains("function")) {
            return intro + CODE_ANSWER;
        }
        if (lower.contains("table") || lower.contains("compare")) {
            return intro + TABLE_ANSWER;
        }
        return intro + GENERAL_ANSWER;
    }

    private static String escape(String text) {
        return text.replaceAll("([\\\\`*_\\[\\]<>#])", "\\\\$1");
    }

    private static final String GENERAL_ANSWER = """
            Here is how a streamed answer comes together:

            1. The server asks the model for a reply and creates an **empty message** at once.
            2. Tokens arrive in small chunks; each one is pushed to every open tab *as it comes*.
            3. Chunks are written to the database in **batches**, so storage keeps up without slowing the screen.

            > Tip: open the same pane in a second tab and send another prompt: both tabs stream live.

            Some things to try:

            - Ask for *code* to see a fenced code block.
            - Ask for a *table* to see a comparison table.
            - Press **Stop** while this is streaming: the text so far is kept.

            That's all for now: set `GEMINI_API_KEY` and restart to talk to Gemini for real.
            """;

    private static final String CODE_ANSWER = """
            A small, complete example in Java:

            ```java
            import java.util.stream.IntStream;

            public class Fizz {
                public static void main(String[] args) {
                    IntStream.rangeClosed(1, 15)
                            .mapToObj(i -> i % 15 == 0 ? "FizzBuzz"
                                    : i % 3 == 0 ? "Fizz"
                                    : i % 5 == 0 ? "Buzz"
                                    : String.valueOf(i))
                            .forEach(System.out::println);
                }
            }
            ```

            How it works:

            - `IntStream.rangeClosed(1, 15)` yields the numbers **1 to 15**.
            - Each number is mapped to its word; multiples of 15 are checked first.
            - `forEach` prints one line per number.

            Run it with `java Fizz.java` on Java 11 or newer.
            """;

    private static final String TABLE_ANSWER = """
            A quick comparison of ways to show a streamed answer:

            | Approach | Latency on screen | Database writes | Notes |
            |---|---|---|---|
            | Write every token, then show | high | one per token | the screen waits for the disk |
            | Show every token, write in batches | low | one per batch | what this app does |
            | Show at the end | very high | one | no streaming at all |

            The middle row wins: **durability** and **display** get separate budgets.
            """;

    /** Streams the answer word by word, pausing like a model would. */
    private static final class DemoStream implements ModelStream {

        private final List<String> pieces;
        private final ModelProperties.Demo pace;
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private int next;

        DemoStream(String answer, ModelProperties.Demo pace) {
            this.pieces = split(answer);
            this.pace = pace;
        }

        @Override
        public ModelChunk next() {
            pause(next == 0 ? pace.firstDelay() : pace.chunkDelay());
            if (next >= pieces.size()) {
                int output = pieces.size();
                return next++ == pieces.size()
                        ? new ModelChunk("", "STOP", new ModelChunk.TokenCounts(12, output, 0))
                        : null;
            }
            return ModelChunk.text(pieces.get(next++));
        }

        private void pause(Duration delay) {
            long nanos = delay.toNanos();
            if (nanos > 0) {
                // up to ±50 % jitter, like tokens arriving over a network
                nanos = nanos / 2 + ThreadLocalRandom.current().nextLong(nanos + 1);
            }
            try {
                if (cancelled.await(nanos, TimeUnit.NANOSECONDS)) {
                    throw new ModelException(ModelException.Kind.CANCELLED, "Stopped.");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelException(ModelException.Kind.CANCELLED, "Stopped.");
            }
        }

        @Override
        public void cancel() {
            cancelled.countDown();
        }

        @Override
        public void close() {
            cancel();
        }

        /** Pieces of one to three words (with their spaces), as tokens come in groups. */
        private static List<String> split(String text) {
            List<String> result = new ArrayList<>();
            int start = 0;
            int words = 0;
            int wanted = 1 + ThreadLocalRandom.current().nextInt(3);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if ((c == ' ' || c == '\n') && i > start) {
                    if (++words >= wanted) {
                        result.add(text.substring(start, i + 1));
                        start = i + 1;
                        words = 0;
                        wanted = 1 + ThreadLocalRandom.current().nextInt(3);
                    }
                }
            }
            if (start < text.length()) {
                result.add(text.substring(start));
            }
            return result;
        }
    }
}
