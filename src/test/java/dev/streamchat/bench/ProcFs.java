package dev.streamchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Linux process counters, read from /proc. */
final class ProcFs {

	/**
	 * USER_HZ: the kernel's unit for CPU times in /proc (100 on every common Linux
	 * build).
	 */
	private static final double TICKS_PER_SECOND = 100.0;

	private ProcFs() {
	}

	static Map<String, Long> keyValues(Path file) {
		Map<String, Long> values = new LinkedHashMap<>();
		try {
			for (String line : Files.readAllLines(file)) {
				int colon = line.indexOf(':');
				if (colon > 0) {
					// values may carry a unit ("24684 kB")
					values.put(line.substring(0, colon).trim(),
							Long.parseLong(line.substring(colon + 1).trim().split("\\s+")[0]));
				}
			}
		}
		catch (IOException | NumberFormatException e) {
			// not Linux or not readable: no figures
		}
		return values;
	}

	static double cpuSeconds(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// fields after the command name, which is in parentheses and may contain
			// spaces
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long utime = Long.parseLong(fields[11]);
			long stime = Long.parseLong(fields[12]);
			return (utime + stime) / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException e) {
			return Double.NaN;
		}
	}

	/**
	 * Jiffies of the whole machine so far: {busy, total}, from the first line of
	 * /proc/stat.
	 */
	static long[] machineJiffies() {
		try {
			String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
			long total = 0;
			for (int i = 1; i < f.length; i++) {
				total += Long.parseLong(f[i]);
			}
			long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
			return new long[] { total - idle, total };
		}
		catch (IOException | RuntimeException e) {
			return new long[] { 0, 0 };
		}
	}

	/** A one-line description of this machine: CPU model and count, memory, kernel. */
	static String machine() {
		String cpu = "?";
		try {
			cpu = Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter(l -> l.startsWith("model name"))
				.findFirst()
				.map(l -> l.substring(l.indexOf(':') + 1).trim())
				.orElse("?");
		}
		catch (IOException ignored) {
			// not Linux
		}
		long memKb = keyValues(Path.of("/proc/meminfo")).entrySet()
			.stream()
			.filter(e -> e.getKey().equals("MemTotal"))
			.findFirst()
			.map(Map.Entry::getValue)
			.orElse(0L);
		String kernel = "?";
		try {
			kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
		}
		catch (IOException ignored) {
			// not Linux
		}
		return "%d × %s, %.1f GB RAM, Linux %s, Java %s".formatted(Runtime.getRuntime().availableProcessors(), cpu,
				memKb / 1024.0 / 1024.0, kernel, Runtime.version());
	}

}
