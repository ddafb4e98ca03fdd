package dev.streamchat.ui.markdown;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlockSplitterTest {

	static final String ANSWER = """
			# Title

			A paragraph that
			spans two lines.

			```java
			class A {

			    void b() {}
			}
			```
			After the code.

			- one
			- two

			| a | b |
			|---|---|
			| 1 | 2 |
			""";

	@Test
	void settledBlocksPlusTheTailAlwaysAddUpToTheText() {
		Random random = new Random(7);
		for (int run = 0; run < 50; run++) {
			BlockSplitter splitter = new BlockSplitter();
			StringBuilder settled = new StringBuilder();
			int at = 0;
			while (at < ANSWER.length()) {
				int end = Math.min(ANSWER.length(), at + 1 + random.nextInt(12));
				splitter.append(ANSWER.substring(at, end)).forEach(settled::append);
				at = end;
				assertThat(settled + splitter.tail()).isEqualTo(ANSWER.substring(0, at));
			}
		}
	}

	@Test
	void blankLinesInsideACodeFenceDoNotSplitIt() {
		List<String> blocks = BlockSplitter.split(ANSWER);

		assertThat(blocks)
			.anySatisfy(block -> assertThat(block).startsWith("```java").contains("void b() {}").contains("}\n```\n"));
		assertThat(blocks).noneSatisfy(block -> assertThat(block).startsWith("    void b()"));
	}

	@Test
	void streamingSplitsExactlyAsTheFinishedTextDoes() {
		BlockSplitter splitter = new BlockSplitter();
		List<String> streamed = new ArrayList<>();
		for (char c : ANSWER.toCharArray()) {
			streamed.addAll(splitter.append(String.valueOf(c)));
		}
		streamed.addAll(splitter.finish());

		assertThat(streamed).isEqualTo(BlockSplitter.split(ANSWER));
		assertThat(streamed).hasSizeGreaterThan(4);
	}

	@Test
	void theOpenTailKnowsWhenItIsInsideACodeFence() {
		BlockSplitter splitter = new BlockSplitter();
		splitter.append("Intro.\n\n```python\nprint('hi')\n");
		assertThat(splitter.inCodeFence()).isTrue();
		splitter.append("```\n");
		assertThat(splitter.inCodeFence()).isFalse();
	}

}
