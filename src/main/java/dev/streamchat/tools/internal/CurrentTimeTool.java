package dev.streamchat.tools.internal;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.streamchat.model.ToolSpec;
import dev.streamchat.tools.LocalTool;
import dev.streamchat.tools.ToolContext;
import org.springframework.stereotype.Component;

/** The current date and time in a time zone: models do not know what time it is. */
@Component
class CurrentTimeTool implements LocalTool {

	static final String NAME = "current_time";

	private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

	private final Clock clock = Clock.systemUTC();

	@Override
	public ToolSpec spec() {
		return new ToolSpec(NAME,
				"The current date and time in a time zone. Use it whenever the answer depends on "
						+ "today's date or the time of day.",
				Map.of("type", "object", "properties",
						Map.of("time_zone",
								Map.of("type", "string", "description",
										"IANA time zone such as Europe/Paris or America/New_York; UTC when omitted")),
						"required", List.of()));
	}

	@Override
	public Map<String, Object> run(Map<String, Object> args, ToolContext context) {
		String zoneName = String.valueOf(args.getOrDefault("time_zone", "UTC")).strip();
		ZoneId zone;
		try {
			zone = ZoneId.of(zoneName.isEmpty() ? "UTC" : zoneName);
		}
		catch (DateTimeException e) {
			throw new IllegalArgumentException(
					"unknown time zone \"" + zoneName + "\"; use an IANA name such as Europe/Paris");
		}
		ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("time_zone", zone.getId());
		result.put("date_time", FORMAT.format(now));
		result.put("day_of_week", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
		result.put("utc_offset", now.getOffset().getId());
		return result;
	}

}
