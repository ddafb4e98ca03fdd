package dev.streamchat.tools.internal;

import java.util.Map;
import java.util.concurrent.CancellationException;

import dev.streamchat.chat.ConversationId;
import dev.streamchat.security.UserId;
import dev.streamchat.tools.ToolContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The clock and the calculator answer exactly, and fail with words a model can act on.
 */
class LocalToolsTest {

	final ToolContext context = new ToolContext(new UserId(1), new ConversationId(1));

	final CalculatorTool calculator = new CalculatorTool();

	@ParameterizedTest(name = "{0} = {1}")
	@CsvSource(delimiter = '|',
			value = { "0.1 + 0.2 | 0.3",
					"123456789012345678901234567890 * 987654321 | 121932631124828532112482853211126352690",
					"(1234.5 * 3) / 7 - 2^10 | -494.9285714285714285714285714285714", "2^-2 | 0.25", "-3^2 | 9",
					"10 % 4 | 2", "1e3 / 8 | 125", "1_000 × 3 ÷ 4 | 750" })
	void calculatesExactly(String expression, String expected) {
		assertThat(calculator.run(Map.of("expression", expression), context)).containsEntry("result", expected);
	}

	@Test
	void saysWhenADivisionWasRounded() {
		assertThat(calculator.run(Map.of("expression", "1/3"), context))
			.containsEntry("result", "0.3333333333333333333333333333333333")
			.containsEntry("exact", false);
		assertThat(calculator.run(Map.of("expression", "1/4"), context)).containsEntry("exact", true);
	}

	@Test
	void refusesWhatItCannotComputeWithAReason() {
		assertThatThrownBy(() -> calculator.run(Map.of("expression", "1/0"), context)).hasMessage("division by zero");
		assertThatThrownBy(() -> calculator.run(Map.of("expression", "2 + * 3"), context))
			.hasMessageContaining("unexpected \"*\"");
		assertThatThrownBy(() -> calculator.run(Map.of("expression", "(1 + 2"), context))
			.hasMessageContaining("missing");
		assertThatThrownBy(() -> calculator.run(Map.of("expression", "2^0.5"), context)).hasMessageContaining("whole");
		assertThatThrownBy(() -> calculator.run(Map.of(), context)).hasMessage("no expression given");
	}

	/**
	 * Each of these took minutes of CPU and hundreds of MB before the calculator bounded
	 * its numbers.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "1e99999999", "1e99999999 - 1e99999999", "(9^10000)^10000", "9^10000 * 9^10000 * 9^10000",
					"0.5^10000 * 0.5^10000", "(2^10000)^-10000" })
	// a guard: before the bound this ran for minutes
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void refusesNumbersTooLongToWriteOutBeforeComputingThem(String expression) {
		assertThatThrownBy(() -> calculator.run(Map.of("expression", expression), context))
			.hasMessageContaining("more than 10000 digits");
	}

	@Test
	void longButBoundedResultsAreStillExact() {
		String twoToTheTenThousand = (String) calculator.run(Map.of("expression", "2^10000"), context).get("result");

		assertThat(twoToTheTenThousand).hasSize(3011).startsWith("19950631168807583848837421626835850838");
		assertThat(calculator.run(Map.of("expression", "1e9999 / 1e9999"), context)).containsEntry("result", "1");
	}

	@Test
	void aCancelledCalculationStopsInsteadOfWorkingOn() {
		// ToolBox interrupts a call whose time ran out; arithmetic itself never looks at
		// the flag
		Thread.currentThread().interrupt();
		try {
			assertThatThrownBy(() -> calculator.run(Map.of("expression", "3^5000 * 7^5000 + 1"), context))
				.isInstanceOf(CancellationException.class);
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void refusesAnOverlongExpression() {
		assertThatThrownBy(() -> calculator.run(Map.of("expression", "1+".repeat(1500) + "1"), context))
			.hasMessageContaining("too long");
	}

	@Test
	void theClockAnswersInTheAskedZone() {
		Map<String, Object> tokyo = new CurrentTimeTool().run(Map.of("time_zone", "Asia/Tokyo"), context);

		assertThat(tokyo).containsEntry("time_zone", "Asia/Tokyo").containsEntry("utc_offset", "+09:00");
		assertThat((String) tokyo.get("date_time")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
		assertThat(new CurrentTimeTool().run(Map.of(), context)).containsEntry("time_zone", "UTC");
		assertThatThrownBy(() -> new CurrentTimeTool().run(Map.of("time_zone", "Mars/Olympus"), context))
			.hasMessageContaining("unknown time zone");
	}

}
