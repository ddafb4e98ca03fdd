package dev.streamchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.jspecify.annotations.Nullable;

/**
 * Writes results.json, results.md (a table per scenario: ours, naive, ratio; ours against
 * the minimal Vaadin app) and latency.svg.
 */
final class Report {

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private Report() {
	}

	static void write(Map<String, Object> results, Path dir) throws IOException {
		Files.createDirectories(dir);
		JsonNode root = JSON.valueToTree(results);
		Files.writeString(dir.resolve("results.json"), JSON.writeValueAsString(root));
		String md = markdown(root);
		Files.writeString(dir.resolve("results.md"), md);
		Files.writeString(dir.resolve("latency.svg"), chart(root));
		System.out.println(md);
	}

	private record Row(String figure, String target, String path, int decimals) {
	}

	private static String markdown(JsonNode r) {
		JsonNode ours = r.path("ours");
		JsonNode naive = r.path("naive");
		StringBuilder md = new StringBuilder("# Streaming benchmark results\n\n").append("Machine: ")
			.append(r.path("machine").asText())
			.append("  \n")
			.append("Run: ")
			.append(r.path("date").asText())
			.append(", database ")
			.append(r.path("database").asText("h2"))
			.append(String.format(Locale.ROOT, ", %.0f s in all", r.path("elapsedSeconds").asDouble()))
			.append(". Load average (1, 5, 15 min) at start: ")
			.append(r.path("loadAverageAtStart").asText())
			.append("; at end: ")
			.append(r.path("loadAverageAtEnd").asText())
			.append(". Latency = first visible in the page (DOM mutation) − written by the fake model, same clock.\n\n")
			.append("| scenario | figure | target | ours | naive | naive ÷ ours |\n|---|---|---|---:|---:|---:|\n");
		List<Row> rows = List.of(new Row("1 · one stream, 20 chunks/s × ~40 tokens", "", "", 0),
				new Row("token→screen p50 (ms)", "≤ 15", "s1.p50", 1),
				new Row("token→screen p95 (ms)", "", "s1.p95", 1),
				new Row("token→screen p99 (ms)", "≤ 60", "s1.p99", 1),
				new Row("token→screen max (ms)", "", "s1.max", 1), new Row("2 · 2 000 chunks of 1–3 chars", "", "", 0),
				new Row("answer duration at the model (s)", "", "s2.answerSeconds", 2),
				new Row("DB statements while streaming", "≤ duration/50 ms + 3, ≥ 10× fewer than naive",
						"s2.statements", 0),
				new Row("pushes received by the tab", "", "s2.pushes", 0),
				new Row("push bytes received", "", "s2.pushBytes", 0),
				new Row("token→screen p50 (ms)", "", "s2.p50", 1), new Row("token→screen p99 (ms)", "", "s2.p99", 1),
				new Row("token→screen max (ms)", "", "s2.max", 1),
				new Row("3 · a 200 000-character answer (2 000 chunks in ~4 s)", "", "", 0),
				new Row("disk bytes written ÷ answer bytes (app's /proc write_bytes; on PostgreSQL + WAL + pages)",
						"≤ 3", "s3.diskBytesPerAnswerByte", 2),
				new Row("… the same with varied words (s3v: compresses as prose does)", "≤ 3",
						"s3v.diskBytesPerAnswerByte", 2),
				new Row("DB statements while streaming", "", "s3.statements", 0),
				new Row("longest main-thread task (ms; 0 = none ≥ 50 ms)", "≤ 50", "s3.longestTaskMs", 0),
				new Row("long tasks (≥ 50 ms)", "", "s3.longTasks", 0),
				new Row("server CPU (s)", "", "s3.serverCpuSeconds", 2), new Row("pushes received", "", "s3.pushes", 0),
				new Row("token→screen p50 (ms)", "", "s3.p50", 1), new Row("token→screen p99 (ms)", "", "s3.p99", 1),
				new Row("token→screen max (ms)", "", "s3.max", 1),
				new Row("5 · memory: 4 panes × 100 finished messages per tab", "", "", 0),
				new Row("heap retained per open tab (KB)", "≤ 1 024", "s5.heapPerTabBytes/1024", 0));
		String section = "";
		for (Row row : rows) {
			if (row.path().isEmpty()) {
				section = "**" + row.figure() + "**";
				continue;
			}
			Double o = value(ours, row.path());
			Double n = value(naive, row.path());
			md.append("| ")
				.append(section)
				.append(" | ")
				.append(row.figure())
				.append(" | ")
				.append(row.target())
				.append(" | ")
				.append(format(o, row.decimals()))
				.append(" | ")
				.append(format(n, row.decimals()))
				.append(" | ")
				.append(o == null || n == null || o == 0 ? "–" : format(n / o, 2) + "×")
				.append(" |\n");
			section = "";
		}
		md.append(againstMinimal(r));
		md.append(ladder(ours, naive, "s4", "4 · concurrency ladder, all tabs in one session (one user's tabs)"));
		md.append("\n![latency percentiles against concurrency](latency.svg)\n");
		md.append(ladder(ours, naive, "s6", "6 · concurrency ladder, each tab a session of its own (a user each)"));
		return md.toString();
	}

	/**
	 * The rows that compare the app with the minimal Vaadin app in the same run (time to
	 * first token, start-up, long answers); nothing if neither ran.
	 */
	private static String againstMinimal(JsonNode r) {
		JsonNode ours = r.path("ours");
		JsonNode minimal = r.path("minimal");
		List<Row> rows = List.of(new Row("8 · Enter → request at the model (typed prompts, one open pane)", "", "", 0),
				new Row("p50 (ms)", "≤ minimal", "s8.p50", 1), new Row("p95 (ms)", "≤ minimal", "s8.p95", 1),
				new Row("9 · start-up (the lower of 2 starts)", "", "", 0),
				new Row("`java -jar` → first page answered (s)", "≤ 1.2 × minimal", "s9.startSecondsMedian", 2),
				new Row("… with the AOT cache (`-XX:AOTCache`, extracted jar) (s)", "≤ 1.2 × minimal",
						"s9.startSecondsMedianAot", 2),
				new Row("Enter → first prompt's request after start (ms)", "≤ 1.2 × minimal", "s9.firstPromptMsMedian",
						0),
				new Row("… with the AOT cache (ms)", "≤ 1.2 × minimal", "s9.firstPromptMsMedianAot", 0),
				new Row("3 · a 200 000-character answer (2 000 chunks in ~4 s)", "", "", 0),
				new Row("on screen after the model ended (ms)", "", "s3.onScreenAfterModelMs", 0),
				new Row("longest frame gap (ms)", "≤ 50", "s3.longestFrameGapMs", 0),
				new Row("longest main-thread task (ms)", "", "s3.longestTaskMs", 0),
				new Row("3r · the same with math and highlighted code", "", "", 0),
				new Row("on screen after the model ended (ms)", "", "s3r.onScreenAfterModelMs", 0),
				new Row("longest frame gap (ms)", "≤ 50", "s3r.longestFrameGapMs", 0),
				new Row("longest main-thread task (ms)", "", "s3r.longestTaskMs", 0));
		StringBuilder md = new StringBuilder();
		String section = "";
		for (Row row : rows) {
			if (row.path().isEmpty()) {
				section = "**" + row.figure() + "**";
				continue;
			}
			// the minimal app has no AOT cache: ours with it is compared with its plain
			// start
			String minimalPath = row.path().endsWith("Aot") ? row.path().substring(0, row.path().length() - 3)
					: row.path();
			Double o = value(ours, row.path());
			Double m = value(minimal, minimalPath);
			if (o == null && m == null) {
				continue;
			}
			md.append("| ")
				.append(section)
				.append(" | ")
				.append(row.figure())
				.append(" | ")
				.append(row.target())
				.append(" | ")
				.append(format(o, row.decimals()))
				.append(" | ")
				.append(format(m, row.decimals()))
				.append(" | ")
				.append(o == null || m == null || m == 0 ? "–" : format(o / m, 2) + "×")
				.append(" |\n");
			section = "";
		}
		if (md.isEmpty()) {
			return "";
		}
		return "\n## Against the minimal Vaadin app (`dev.streamchat.bench.minimal`, same run)\n\n"
				+ "| scenario | figure | target | ours | minimal | ours ÷ minimal |\n|---|---|---|---:|---:|---:|\n"
				+ md;
	}

	/** A ladder scenario's steps, ours beside naive; nothing if it did not run. */
	private static String ladder(JsonNode ours, JsonNode naive, String key, String title) {
		JsonNode os = ours.path(key).path("steps");
		JsonNode ns = naive.path(key).path("steps");
		if (os.isMissingNode() && ns.isMissingNode()) {
			return "";
		}
		StringBuilder md = new StringBuilder("\n## ").append(title)
			.append(" (tabs × 5 panes, each stream 20 chunks/s; stop at p99 > 250 ms or any error)\n\n")
			.append("| streams | tabs | ours p50 | ours p99 | ours errors | ours server push p50 / p99 "
					+ "| naive p50 | naive p99 | naive errors | p99 naive ÷ ours |\n")
			.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (int i = 0; i < Math.max(os.size(), ns.size()); i++) {
			JsonNode o = os.path(i);
			JsonNode n = ns.path(i);
			JsonNode any = o.isMissingNode() ? n : o;
			md.append("| ")
				.append(any.path("streams").asInt())
				.append(" | ")
				.append(any.path("tabs").asInt())
				.append(" | ")
				.append(cell(o, "p50"))
				.append(" | ")
				.append(cell(o, "p99"))
				.append(" | ")
				.append(cell(o, "errors"))
				.append(" | ")
				.append(cell(o, "serverPushP50"))
				.append(" / ")
				.append(cell(o, "serverPushP99"))
				.append(" | ")
				.append(cell(n, "p50"))
				.append(" | ")
				.append(cell(n, "p99"))
				.append(" | ")
				.append(cell(n, "errors"))
				.append(" | ")
				.append(o.isMissingNode() || n.isMissingNode() ? "–"
						: format(n.path("p99").asDouble() / o.path("p99").asDouble(), 2) + "×")
				.append(" |\n");
		}
		return md.append("\nKnee (first step over the limit): ours ")
			.append(knee(ours, key))
			.append(", naive ")
			.append(knee(naive, key))
			.append(".\n")
			.toString();
	}

	private static String knee(JsonNode strategy, String key) {
		JsonNode k = strategy.path(key).path("kneeAt");
		return k.isNull() || k.isMissingNode() ? "none up to 200 streams" : k.asInt() + " streams";
	}

	private static String cell(JsonNode step, String field) {
		if (step.isMissingNode()) {
			return "–";
		}
		return field.equals("errors") ? Integer.toString(step.path(field).asInt())
				: format(step.path(field).asDouble(), 1);
	}

	private static @Nullable Double value(JsonNode node, String path) {
		double divisor = 1;
		if (path.contains("/")) {
			divisor = Double.parseDouble(path.substring(path.indexOf('/') + 1));
			path = path.substring(0, path.indexOf('/'));
		}
		JsonNode v = node;
		for (String part : path.split("\\.")) {
			v = v.path(part);
		}
		return v.isNumber() ? v.asDouble() / divisor : null;
	}

	private static String format(@Nullable Double v, int decimals) {
		if (v == null || v.isNaN()) {
			return "–";
		}
		return String.format(Locale.ROOT, "%,." + decimals + "f", v);
	}

	/**
	 * p50 and p99 against concurrent streams (log scale), ours and naive, with the 250 ms
	 * limit.
	 */
	private static String chart(JsonNode r) {
		int w = 760, h = 420, left = 70, right = 170, top = 40, bottom = 60;
		int pw = w - left - right, ph = h - top - bottom;
		double maxStreams = 200, minStreams = 1;
		double maxMs = 300;
		List<double[]> all = new ArrayList<>();
		for (String s : List.of("ours", "naive")) {
			for (JsonNode step : r.path(s).path("s4").path("steps")) {
				maxMs = Math.max(maxMs, step.path("p99").asDouble());
				all.add(new double[] { step.path("streams").asDouble() });
			}
		}
		maxMs = niceCeil(maxMs);
		double yMax = maxMs;
		DoubleUnaryOperator x = v -> left + pw * Math.log(v / minStreams) / Math.log(maxStreams / minStreams);
		DoubleUnaryOperator y = v -> top + ph - ph * Math.min(v, yMax) / yMax;
		StringBuilder svg = new StringBuilder();
		svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
			.append(w)
			.append("\" height=\"")
			.append(h)
			.append("\" viewBox=\"0 0 ")
			.append(w)
			.append(' ')
			.append(h)
			.append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
			.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
			.append("<text x=\"")
			.append(left)
			.append("\" y=\"22\" font-size=\"15\" font-weight=\"bold\">")
			.append("Token→screen latency against concurrent streams</text>\n");
		for (int i = 0; i <= 5; i++) {
			double v = yMax * i / 5;
			double yy = y.applyAsDouble(v);
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
							+ "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n",
					left, yy, left + pw, yy, left - 6, yy + 4, v));
		}
		for (int s : new int[] { 1, 10, 25, 50, 100, 200 }) {
			double xx = x.applyAsDouble(s);
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
							+ "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
					xx, top, xx, top + ph, xx, top + ph + 16, s));
		}
		svg.append(String.format(Locale.ROOT,
				"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">concurrent streams (log scale)</text>\n", left + pw / 2,
				h - 18));
		svg.append(String.format(Locale.ROOT,
				"<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">ms</text>\n",
				top + ph / 2, top + ph / 2));
		double limit = y.applyAsDouble(250);
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c00\" stroke-dasharray=\"4 4\"/>"
						+ "<text x=\"%d\" y=\"%.1f\" fill=\"#c00\">250 ms limit</text>\n",
				left, limit, left + pw, limit, left + pw + 6, limit + 4));
		String[][] series = { { "ours", "p50", "#1f77b4", "" }, { "ours", "p99", "#1f77b4", "6 3" },
				{ "naive", "p50", "#ff7f0e", "" }, { "naive", "p99", "#ff7f0e", "6 3" } };
		int legend = top + 20;
		for (String[] s : series) {
			StringBuilder points = new StringBuilder();
			for (JsonNode step : r.path(s[0]).path("s4").path("steps")) {
				double v = step.path(s[1]).asDouble();
				if (Double.isNaN(v)) {
					continue;
				}
				double xx = x.applyAsDouble(step.path("streams").asDouble());
				double yy = y.applyAsDouble(v);
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xx, yy));
				svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", xx, yy,
						s[2]));
			}
			svg.append("<polyline fill=\"none\" stroke=\"")
				.append(s[2])
				.append("\" stroke-width=\"2\"")
				.append(s[3].isEmpty() ? "" : " stroke-dasharray=\"" + s[3] + "\"")
				.append(" points=\"")
				.append(points.toString().strip())
				.append("\"/>\n");
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
							+ "<text x=\"%d\" y=\"%d\">%s %s</text>\n",
					left + pw + 10, legend + 30, left + pw + 34, legend + 30, s[2],
					s[3].isEmpty() ? "" : " stroke-dasharray=\"" + s[3] + "\"", left + pw + 40, legend + 34, s[0],
					s[1]));
			legend += 20;
		}
		return svg.append("</svg>\n").toString();
	}

	private static double niceCeil(double v) {
		double step = v <= 500 ? 50 : v <= 2000 ? 250 : 1000;
		return Math.ceil(v / step) * step;
	}

}
