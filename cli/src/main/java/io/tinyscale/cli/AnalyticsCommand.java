package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tinyscale analytics [CODE]}: a link's clicks over time, or its top values of one dimension
 * ({@code --by}), or without a code the totals and top links of every link. One request per run, so
 * that {@code --json} prints the server's answer as it came.
 */
final class AnalyticsCommand extends Base {
  static final List<String> DIMENSIONS =
      List.of("countries", "referrers", "browsers", "os", "devices");
  static final List<String> INTERVALS = List.of("minute", "hour", "day", "week", "month");
  private static final Map<String, String> ONE_OF =
      Map.of(
          "countries", "COUNTRY",
          "referrers", "REFERRER",
          "browsers", "BROWSER",
          "os", "OS",
          "devices", "DEVICE");

  /** The widest bar, in characters, drawn for the busiest bucket. */
  static final int BAR = 40;

  private final Clock clock;

  AnalyticsCommand() {
    this(Clock.systemUTC());
  }

  AnalyticsCommand(Clock clock) {
    this.clock = clock;
  }

  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "analytics",
            new AnalyticsCommand(),
            new String[] {
              "Show a link's clicks over time or its top values, or the totals of all your links.",
              "With a code: clicks per minute, hour, day, week or month in your time zone, or with"
                  + " --by its top countries, referrers, browsers, OS or devices. Without one: the"
                  + " clicks of all your links and the ten with most. Over the last 24 h unless"
                  + " --last or --from/--to say otherwise; people only unless --bots."
            },
            "tinyscale analytics hello",
            "tinyscale analytics hello --last 30d",
            "tinyscale analytics hello --by countries --last 7d",
            "tinyscale analytics --last 7d",
            "tinyscale analytics hello --from 2026-12-01T00:00:00Z --interval day --json");
    spec.addPositional(Specs.optionalCode());
    spec.addOption(
        Specs.option(
                "--last",
                "SPAN",
                String.class,
                "The range: this long until now (90s, 30m, 12h, 7d, 2w). Default: 24h.")
            .build());
    spec.addOption(
        Specs.option(
                "--from",
                "WHEN",
                String.class,
                "The range's start, an ISO-8601 instant (2026-12-01T00:00:00Z).")
            .build());
    spec.addOption(
        Specs.option(
                "--to", "WHEN", String.class, "The range's end, an ISO-8601 instant. Default: now.")
            .build());
    spec.addOption(
        Specs.option(
                "--interval",
                "UNIT",
                String.class,
                "A link's buckets: minute, hour, day, week or month. Default: from the range's"
                    + " length, about 24 to 90 rows.")
            .completionCandidates(INTERVALS)
            .build());
    spec.addOption(
        Specs.option(
                "--tz",
                "ZONE",
                String.class,
                "The IANA time zone of the buckets (Europe/Paris). Default: this machine's.")
            .build());
    spec.addOption(
        Specs.option(
                "--by",
                "DIMENSION",
                String.class,
                "A link's top values: countries, referrers, browsers, os or devices.")
            .completionCandidates(DIMENSIONS)
            .build());
    spec.addOption(
        Specs.option("--top", "N", int.class, "With --by: how many values, 1 to 100. Default: 10.")
            .defaultValue("10")
            .build());
    spec.addOption(Specs.flag("--bots", "Count the clicks of bots too."));
    return spec;
  }

  @Override
  public Integer call() {
    String code = parameter(0);
    String by = option("--by");
    String interval = option("--interval");
    String[] range = range();
    String bots = flag("--bots") ? "true" : null;
    if (code == null && (by != null || interval != null)) {
      throw usage("--by and --interval are for one link: name its code");
    }
    if (by != null && interval != null) {
      throw usage("--interval is for a link's clicks over time, not with --by");
    }
    if (by != null && !DIMENSIONS.contains(by)) {
      throw usage("--by takes one of " + String.join(", ", DIMENSIONS) + ", not '" + by + "'");
    }
    Http.Response answer;
    if (code == null) {
      answer =
          api()
              .call(
                  "GET",
                  Http.query(
                      "/api/analytics", "from", range[0], "to", range[1], "includeBots", bots),
                  null);
      if (!printJson(answer)) {
        out().print(overview(answer.json(), zone(), bots != null));
      }
    } else if (by != null) {
      String top = String.valueOf(this.<Integer>option("--top"));
      answer =
          api()
              .call(
                  "GET",
                  Http.query(
                      "/api/analytics/" + Http.segment(code) + "/" + by,
                      "from",
                      range[0],
                      "to",
                      range[1],
                      "limit",
                      top,
                      "includeBots",
                      bots),
                  null);
      if (!printJson(answer)) {
        out().print(breakdown(answer.json(), code, by, bots != null));
      }
    } else {
      String tz = Optional.<String>ofNullable(option("--tz")).orElse(zone().getId());
      answer =
          api()
              .call(
                  "GET",
                  Http.query(
                      "/api/analytics/" + Http.segment(code),
                      "from",
                      range[0],
                      "to",
                      range[1],
                      "interval",
                      interval == null ? interval(range) : interval,
                      "tz",
                      tz,
                      "includeBots",
                      bots),
                  null);
      if (!printJson(answer)) {
        out().print(histogram(answer.json(), code, bots != null, unicodeOut()));
      }
    }
    return ExitCodes.OK;
  }

  /** {from, to} as the server takes them; null where the server's default applies. */
  private String[] range() {
    String last = option("--last");
    String from = option("--from");
    String to = option("--to");
    if (last == null) {
      return new String[] {from, to};
    }
    if (from != null || to != null) {
      throw usage("--last is a range until now: give it, or --from and --to, not both");
    }
    Duration span =
        Expiry.span(last.strip())
            .filter(d -> !d.isZero())
            .orElseThrow(
                () ->
                    usage(
                        "--last takes a span such as 90s, 30m, 12h, 7d or 2w, not '" + last + "'"));
    return new String[] {
      clock.instant().minus(span).truncatedTo(ChronoUnit.SECONDS).toString(), null
    };
  }

  /**
   * Buckets for a range of this length, 24 to 90 rows or so: minutes up to an hour, hours up to 3
   * days, days up to 90, weeks up to a year, then months. A range the client cannot read is the
   * server's to judge, in hours.
   */
  private String interval(String[] range) {
    Instant to;
    Instant from;
    try {
      to = range[1] == null ? clock.instant() : OffsetDateTime.parse(range[1]).toInstant();
      from =
          range[0] == null
              ? to.minus(Duration.ofDays(1))
              : OffsetDateTime.parse(range[0]).toInstant();
    } catch (DateTimeParseException e) {
      return "hour";
    }
    return interval(Duration.between(from, to));
  }

  static String interval(Duration length) {
    if (length.compareTo(Duration.ofHours(1)) <= 0) {
      return "minute";
    } else if (length.compareTo(Duration.ofDays(3)) <= 0) {
      return "hour";
    } else if (length.compareTo(Duration.ofDays(90)) <= 0) {
      return "day";
    } else if (length.compareTo(Duration.ofDays(366)) <= 0) {
      return "week";
    }
    return "month";
  }

  /** The histogram as rows of time, count and (when stdout can show it) a bar. */
  static String histogram(JsonNode histogram, String code, boolean bots, boolean bars) {
    String interval = Optional.ofNullable(Json.text(histogram, "interval")).orElse("time");
    DateTimeFormatter label =
        switch (interval) {
          case "minute", "hour" -> DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
          case "month" -> DateTimeFormatter.ofPattern("yyyy-MM");
          case "week" -> DateTimeFormatter.ofPattern("'week of' yyyy-MM-dd");
          default -> DateTimeFormatter.ofPattern("yyyy-MM-dd EEE", Locale.ROOT);
        };
    long sum = 0;
    long max = 0;
    for (JsonNode bucket : histogram.path("buckets")) {
      long count = bucket.path("count").asLong();
      sum += count;
      max = Math.max(max, count);
    }
    ZoneId zone = zoneOf(histogram);
    StringBuilder out = new StringBuilder();
    out.append(code)
        .append(": ")
        .append(clicks(sum, bots))
        .append(", ")
        .append(Times.show(Json.text(histogram, "from"), zone, "?"))
        .append(" to ")
        .append(Times.show(Json.text(histogram, "to"), zone, "?"))
        .append(" (")
        .append(zone.getId())
        .append("), per ")
        .append(interval)
        .append('\n');
    out.append(source(histogram));
    String unit = interval.toUpperCase(Locale.ROOT);
    Table table = bars ? new Table(unit, "CLICKS", "") : new Table(unit, "CLICKS");
    for (JsonNode bucket : histogram.path("buckets")) {
      String start;
      try {
        start = OffsetDateTime.parse(bucket.path("start").asText()).format(label);
      } catch (DateTimeParseException e) {
        start = bucket.path("start").asText();
      }
      long count = bucket.path("count").asLong();
      String clicks = String.valueOf(count);
      table.row(
          bars ? new String[] {start, clicks, bar(count, max)} : new String[] {start, clicks});
    }
    out.append(table.render());
    return out.toString();
  }

  /** {@code count}'s share of {@link #BAR} characters, in eighths of a block. */
  static String bar(long count, long max) {
    if (count == 0 || max == 0) {
      return "";
    }
    long eighths = Math.max(1, Math.round(count * BAR * 8.0 / max));
    String partial = " ▏▎▍▌▋▊▉";
    return "█".repeat((int) (eighths / 8))
        + (eighths % 8 == 0 ? "" : partial.charAt((int) (eighths % 8)));
  }

  static String breakdown(JsonNode answer, String code, String by, boolean bots) {
    long other = answer.path("other").asLong();
    long sum = other;
    for (JsonNode item : answer.path("items")) {
      sum += item.path("count").asLong();
    }
    StringBuilder out = new StringBuilder();
    out.append(code)
        .append(": top ")
        .append(by)
        .append(" of ")
        .append(clicks(sum, bots))
        .append('\n');
    if (sum == 0) {
      return out.toString();
    }
    Table table =
        new Table(ONE_OF.getOrDefault(by, by.toUpperCase(Locale.ROOT)), "CLICKS", "SHARE");
    for (JsonNode item : answer.path("items")) {
      long count = item.path("count").asLong();
      table.row(Json.text(item, "key"), String.valueOf(count), share(count, sum));
    }
    if (other > 0) {
      table.row("(other)", String.valueOf(other), share(other, sum));
    }
    return out.append(table.render()).toString();
  }

  static String overview(JsonNode overview, ZoneId zone, boolean bots) {
    long links = overview.path("links").asLong();
    StringBuilder out = new StringBuilder();
    out.append("your ")
        .append(links)
        .append(links == 1 ? " link: " : " links: ")
        .append(overview.path("humanClicks").asLong())
        .append(" clicks by people, ")
        .append(overview.path("botClicks").asLong())
        .append(" by bots, ")
        .append(Times.show(Json.text(overview, "from"), zone, "?"))
        .append(" to ")
        .append(Times.show(Json.text(overview, "to"), zone, "?"))
        .append('\n');
    out.append(source(overview));
    Table table = new Table("CODE", bots ? "CLICKS" : "PEOPLE", "URL");
    for (JsonNode link : overview.path("topLinks")) {
      table.row(
          Json.text(link, "code"),
          String.valueOf(link.path("clicks").asLong()),
          Json.text(link, "url"));
    }
    if (table.size() > 0) {
      out.append(table.render());
    }
    return out.toString();
  }

  private static String clicks(long count, boolean bots) {
    return count + (count == 1 ? " click" : " clicks") + (bots ? " (bots included)" : " by people");
  }

  private static String share(long count, long sum) {
    return String.format(Locale.ROOT, "%.1f %%", count * 100.0 / sum);
  }

  /** A line when the figures came from Postgres' hourly counts rather than OpenSearch. */
  private static String source(JsonNode answer) {
    return "postgres".equals(Json.text(answer, "source"))
        ? "(from the hourly counts in whole hours: the search engine is unavailable)\n"
        : "";
  }

  /** The zone the server bucketed in; the histogram's own offsets when it names none. */
  private static ZoneId zoneOf(JsonNode histogram) {
    try {
      return ZoneId.of(Optional.ofNullable(Json.text(histogram, "timeZone")).orElse("UTC"));
    } catch (RuntimeException e) {
      return ZoneId.of("UTC");
    }
  }
}
