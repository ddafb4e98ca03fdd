package dev.streamchat.tools.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import dev.streamchat.model.ToolSpec;
import dev.streamchat.tools.LocalTool;
import dev.streamchat.tools.ToolContext;
import org.springframework.stereotype.Component;

/**
 * Exact decimal arithmetic, for sums a language model would guess: + - * / % ^ and
 * parentheses over decimal numbers. Results are exact; a division that does not terminate
 * is rounded to 34 significant digits and says so.
 *
 * <p>
 * Every number, literal or intermediate, is bounded to {@link Parser#MAX_DIGITS} digits
 * when written out, and a power is refused <em>before</em> it is computed when its result
 * would be longer: BigInteger arithmetic cannot be interrupted, so a call like
 * {@code (9^10000)^10000} would otherwise burn minutes of CPU and hundreds of MB after
 * its time limit. With every operand bounded each step is cheap, and the parser checks
 * between steps whether the call was cancelled.
 */
@Component
class CalculatorTool implements LocalTool {

	static final String NAME = "calculate";

	@Override
	public ToolSpec spec() {
		return new ToolSpec(NAME,
				"Evaluates an arithmetic expression exactly (decimal numbers, + - * / % ^ and "
						+ "parentheses). Use it for any arithmetic instead of computing in your head.",
				Map.of("type", "object", "properties",
						Map.of("expression",
								Map.of("type", "string", "description", "for example (1234.5 * 3) / 7 - 2^10")),
						"required", List.of("expression")));
	}

	@Override
	public Map<String, Object> run(Map<String, Object> args, ToolContext context) {
		Object expression = args.get("expression");
		if (expression == null || expression.toString().isBlank()) {
			throw new IllegalArgumentException("no expression given");
		}
		if (expression.toString().length() > Parser.MAX_LENGTH) {
			throw new IllegalArgumentException(
					"the expression is too long (at most " + Parser.MAX_LENGTH + " characters)");
		}
		Parser parser = new Parser(expression.toString());
		BigDecimal value = parser.parse();
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("expression", expression.toString());
		result.put("result", plain(value));
		result.put("exact", parser.exact);
		return result;
	}

	static String plain(BigDecimal value) {
		BigDecimal stripped = value.stripTrailingZeros();
		return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
	}

	/**
	 * Recursive descent: expression = term {(+|-) term}; term = power {(*|/|%) power};
	 * power = unary [^ power].
	 */
	static final class Parser {

		private static final int MAX_EXPONENT = 10_000;

		/** Digits a number may have written out in full (2^10000 has 3 011). */
		static final int MAX_DIGITS = 10_000;
		static final int MAX_LENGTH = 2_000;

		private final String text;

		private int pos;

		boolean exact = true;

		Parser(String text) {
			this.text = text;
		}

		BigDecimal parse() {
			BigDecimal value = expression();
			skipSpaces();
			if (pos < text.length()) {
				throw error("unexpected \"" + text.charAt(pos) + "\"");
			}
			return value;
		}

		private BigDecimal expression() {
			BigDecimal value = term();
			while (true) {
				if (eat('+')) {
					value = bounded(value.add(term()));
				}
				else if (eat('-')) {
					value = bounded(value.subtract(term()));
				}
				else {
					return value;
				}
			}
		}

		private BigDecimal term() {
			BigDecimal value = power();
			while (true) {
				if (eat('*') || eat('×')) {
					value = bounded(value.multiply(power()));
				}
				else if (eat('/') || eat('÷')) {
					value = bounded(divide(value, power()));
				}
				else if (eat('%')) {
					BigDecimal divisor = power();
					if (divisor.signum() == 0) {
						throw new ArithmeticException("division by zero");
					}
					value = bounded(value.remainder(divisor));
				}
				else {
					return value;
				}
			}
		}

		private BigDecimal power() {
			BigDecimal base = unary();
			if (!eat('^')) {
				return base;
			}
			BigDecimal exponent = power();
			int n;
			try {
				n = exponent.intValueExact();
			}
			catch (ArithmeticException e) {
				throw error("only whole exponents are supported");
			}
			if (Math.abs(n) > MAX_EXPONENT) {
				throw error("exponent too large (at most " + MAX_EXPONENT + ")");
			}
			BigDecimal raised = powerWithin(base, Math.abs(n));
			return bounded(n >= 0 ? raised : divide(BigDecimal.ONE, raised));
		}

		private BigDecimal unary() {
			if (eat('-')) {
				return unary().negate();
			}
			if (eat('+')) {
				return unary();
			}
			return primary();
		}

		private BigDecimal primary() {
			if (eat('(')) {
				BigDecimal value = expression();
				if (!eat(')')) {
					throw error("missing \")\"");
				}
				return value;
			}
			skipSpaces();
			int start = pos;
			while (pos < text.length()
					&& (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.' || text.charAt(pos) == '_')) {
				pos++;
			}
			if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E') && pos > start) {
				pos++;
				if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
					pos++;
				}
				while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
					pos++;
				}
			}
			if (start == pos) {
				throw error(pos < text.length() ? "unexpected \"" + text.charAt(pos) + "\""
						: "the expression ends too early");
			}
			try {
				return bounded(new BigDecimal(text.substring(start, pos).replace("_", "")));
			}
			catch (NumberFormatException e) {
				throw error("\"" + text.substring(start, pos) + "\" is not a number");
			}
		}

		/**
		 * base^n, refused before computing when even the smallest possible result would
		 * be too long: a number with m integer digits raised to n has at least n(m-1)+1,
		 * and with its trailing zeros stripped its s decimals become exactly n·s.
		 */
		private BigDecimal powerWithin(BigDecimal base, int n) {
			BigDecimal stripped = base.stripTrailingZeros();
			long magnitude = (long) stripped.precision() - stripped.scale();
			long integerDigits = Math.max((long) n * (magnitude - 1) + 1, 1);
			long decimals = Math.max((long) n * stripped.scale(), 0);
			if (integerDigits + decimals > MAX_DIGITS) {
				throw tooLong();
			}
			// at most n digits more than the bound above, so this is cheap
			return stripped.pow(n);
		}

		/**
		 * A number written out must fit MAX_DIGITS; checked after every (cheap, bounded)
		 * step.
		 */
		private BigDecimal bounded(BigDecimal value) {
			if (Thread.currentThread().isInterrupted()) {
				throw new CancellationException("cancelled: the time limit ran out");
			}
			if (digitsWrittenOut(value) > MAX_DIGITS) {
				throw tooLong();
			}
			return value;
		}

		static long digitsWrittenOut(BigDecimal value) {
			long scale = value.scale();
			return Math.max(value.precision() - scale, 1) + Math.max(scale, 0);
		}

		private IllegalArgumentException tooLong() {
			return error("the result would have more than " + MAX_DIGITS + " digits");
		}

		private BigDecimal divide(BigDecimal a, BigDecimal b) {
			if (b.signum() == 0) {
				throw new ArithmeticException("division by zero");
			}
			try {
				return a.divide(b);
			}
			catch (ArithmeticException nonTerminating) {
				exact = false;
				return a.divide(b, MathContext.DECIMAL128);
			}
		}

		private boolean eat(char c) {
			skipSpaces();
			if (pos < text.length() && text.charAt(pos) == c) {
				pos++;
				return true;
			}
			return false;
		}

		private void skipSpaces() {
			while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
				pos++;
			}
		}

		private IllegalArgumentException error(String message) {
			return new IllegalArgumentException(message + " at position " + (pos + 1) + " of \"" + text + "\"");
		}

	}

}
