package io.tinyscale.app.analytics;

import io.tinyscale.app.account.ApiGate;
import io.tinyscale.app.account.Caller;
import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.http.ProblemType;
import io.tinyscale.app.http.QueryParams;
import io.tinyscale.app.link.Link;
import io.tinyscale.app.link.LinkAccess;
import io.tinyscale.app.platform.OpenSearchFailures;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Analytics of the caller's links over a time range: a histogram in the caller's time zone, top-N
 * breakdowns (countries, referrers, browsers, OS, devices) and an overview of all links. Bots are
 * left out unless {@code includeBots=true}. OpenSearch answers; while it is away, histograms of
 * whole hours (and coarser, in zones of whole-hour offsets) and the overview come from the hourly
 * rollups in Postgres ({@code source: "postgres"}), and what Postgres cannot cut (minutes,
 * breakdowns) answers 503 with Retry-After.
 */
@Path("/api/analytics")
@Tag(name = "analytics")
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {
  private static final Duration DEFAULT_RANGE = Duration.ofHours(24);
  private static final int TOP_LINKS = 10;

  /** The dimensions of the breakdowns: path segment, field in the click index, missing value. */
  private enum Dimension {
    COUNTRIES("country", "unknown"),
    REFERRERS("referrer_host", "direct"),
    BROWSERS("browser", "unknown"),
    OS("os", "unknown"),
    DEVICES("device", "unknown");

    final String field;
    final String missing;

    Dimension(String field, String missing) {
      this.field = field;
      this.missing = missing;
    }
  }

  public record Histogram(
      @Schema(enumeration = {"opensearch", "postgres"}) String source,
      @Schema(enumeration = {"minute", "hour", "day", "week", "month"}) String interval,
      String timeZone,
      @Schema(description = "the first bucket's start") OffsetDateTime from,
      @Schema(description = "the last bucket's end") OffsetDateTime to,
      List<Bucket> buckets) {}

  /** Clicks from {@code start} to the next bucket's start; every bucket of the range is listed. */
  public record Bucket(OffsetDateTime start, long count) {}

  public record Breakdown(List<BreakdownItem> items, long other) {}

  public record BreakdownItem(String key, long count) {}

  public record Overview(
      @Schema(enumeration = {"opensearch", "postgres"}) String source,
      OffsetDateTime from,
      OffsetDateTime to,
      long humanClicks,
      long botClicks,
      long totalClicks,
      int links,
      List<TopLink> topLinks) {}

  public record TopLink(String code, String url, long clicks) {}

  private final LinkAccess access;
  private final ClickQueries clicks;
  private final StatsRepository stats;

  AnalyticsResource(LinkAccess access, ClickQueries clicks, StatsRepository stats) {
    this.access = access;
    this.clicks = clicks;
    this.stats = stats;
  }

  @GET
  @Path("/{code}")
  @Operation(
      operationId = "getLinkHistogram",
      summary = "Clicks of a link over time",
      description =
          "Buckets of whole intervals in the time zone tz (days from local midnight, weeks from"
              + " Monday), every bucket of the range listed, empty ones with 0. At most 2,000"
              + " buckets.")
  @Parameters({
    @Parameter(
        name = "interval",
        in = ParameterIn.QUERY,
        schema =
            @Schema(
                type = SchemaType.STRING,
                enumeration = {"minute", "hour", "day", "week", "month"},
                defaultValue = "hour")),
    @Parameter(
        name = "tz",
        in = ParameterIn.QUERY,
        description = "an IANA time zone, e.g. Europe/Paris",
        schema = @Schema(type = SchemaType.STRING, defaultValue = "UTC"))
  })
  @APIResponse(responseCode = "200", description = "The histogram")
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
  public Histogram histogram(
      @PathParam("code") String code,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("interval") @DefaultValue("hour") String interval,
      @QueryParam("tz") @DefaultValue("UTC") String tz,
      @QueryParam("includeBots") @DefaultValue("false") String includeBots,
      @Context ContainerRequestContext request) {
    Link link = access.require(ApiGate.caller(request), code);
    Range range = Range.of(from, to);
    Buckets buckets =
        Buckets.of(range.from(), range.to(), Buckets.Interval.parse(interval), zone(tz));
    boolean bots = bool("includeBots", includeBots);
    List<Long> ids = List.of(link.id());
    String source = "opensearch";
    Map<Instant, Long> counts;
    try {
      counts = clicks.histogram(ids, buckets, bots);
    } catch (OpenSearchFailures.Unavailable e) {
      if (!buckets.cutFromHours()) {
        throw e;
      }
      source = "postgres";
      counts = new HashMap<>();
      for (var hour : stats.clicksByHour(ids, buckets.first(), buckets.last(), bots).entrySet()) {
        counts.merge(
            buckets.starts().get(buckets.indexOf(hour.getKey())).toInstant(),
            hour.getValue(),
            Long::sum);
      }
    }
    List<Bucket> list = new ArrayList<>(buckets.starts().size());
    for (ZonedDateTime start : buckets.starts()) {
      list.add(new Bucket(start.toOffsetDateTime(), counts.getOrDefault(start.toInstant(), 0L)));
    }
    return new Histogram(
        source,
        buckets.interval().label(),
        buckets.zone().getId(),
        buckets.starts().getFirst().toOffsetDateTime(),
        buckets.end().toOffsetDateTime(),
        list);
  }

  @GET
  @Path("/{code}/{dimension}")
  @Operation(
      operationId = "getLinkBreakdown",
      summary = "A link's top countries, referrers, browsers, OS or devices",
      description =
          "The values with most clicks in the range; other sums the clicks of the rest. A click"
              + " without a value counts as unknown (direct, for referrers). Needs OpenSearch.")
  @Parameters({
    @Parameter(
        name = "dimension",
        in = ParameterIn.PATH,
        schema =
            @Schema(
                type = SchemaType.STRING,
                enumeration = {"countries", "referrers", "browsers", "os", "devices"})),
    @Parameter(
        name = "limit",
        in = ParameterIn.QUERY,
        schema =
            @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "10"))
  })
  @APIResponse(responseCode = "200", description = "The breakdown")
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
  public Breakdown breakdown(
      @PathParam("code") String code,
      @PathParam("dimension") String dimension,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("limit") @DefaultValue("10") String limit,
      @QueryParam("includeBots") @DefaultValue("false") String includeBots,
      @Context ContainerRequestContext request) {
    Link link = access.require(ApiGate.caller(request), code);
    Dimension d = dimension(dimension);
    Range range = Range.of(from, to);
    ClickQueries.Breakdown top =
        clicks.top(
            List.of(link.id()),
            range.from(),
            range.to(),
            bool("includeBots", includeBots),
            d.field,
            d.missing,
            QueryParams.wholeNumber("limit", limit, 1, 100));
    return new Breakdown(
        top.items().stream().map(i -> new BreakdownItem(i.key(), i.count())).toList(), top.other());
  }

  @GET
  @Operation(
      operationId = "getOverview",
      summary = "Your clicks over a range: totals and top links",
      description =
          "People and bots over all your links, and the ten links with most clicks (people only"
              + " unless includeBots). From Postgres while OpenSearch is away, in whole hours.")
  @APIResponse(responseCode = "200", description = "The overview")
  @APIResponse(responseCode = "400", ref = ProblemResponses.INVALID)
  @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
  public Overview overview(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("includeBots") @DefaultValue("false") String includeBots,
      @Context ContainerRequestContext request) {
    Caller caller = ApiGate.caller(request);
    Range range = Range.of(from, to);
    boolean bots = bool("includeBots", includeBots);
    List<Long> ids = access.visibleIds(caller);
    if (ids.isEmpty()) {
      return new Overview("opensearch", range.fromUtc(), range.toUtc(), 0, 0, 0, 0, List.of());
    }
    ClickQueries.Overview found;
    String source = "opensearch";
    Range counted = range;
    try {
      found = clicks.overview(ids, range.from(), range.to(), bots, TOP_LINKS);
    } catch (OpenSearchFailures.Unavailable e) {
      source = "postgres";
      counted = range.wholeHours();
      found = fromRollups(ids, counted, bots);
    }
    Map<Long, Link> links = access.visibleById(caller, List.copyOf(found.topLinks().keySet()));
    List<TopLink> top =
        found.topLinks().entrySet().stream()
            .filter(e -> links.containsKey(e.getKey()))
            .map(
                e ->
                    new TopLink(
                        links.get(e.getKey()).code(), links.get(e.getKey()).url(), e.getValue()))
            .toList();
    return new Overview(
        source,
        counted.fromUtc(),
        counted.toUtc(),
        found.humans(),
        found.bots(),
        found.humans() + found.bots(),
        ids.size(),
        top);
  }

  private ClickQueries.Overview fromRollups(List<Long> ids, Range range, boolean includeBots) {
    Map<Long, StatsRepository.Totals> byLink = stats.totalsByLink(ids, range.from(), range.to());
    long humans = byLink.values().stream().mapToLong(StatsRepository.Totals::human).sum();
    long bots = byLink.values().stream().mapToLong(StatsRepository.Totals::bots).sum();
    Map<Long, Long> top = new LinkedHashMap<>();
    byLink.entrySet().stream()
        .map(
            e ->
                Map.entry(
                    e.getKey(), e.getValue().human() + (includeBots ? e.getValue().bots() : 0)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<Long, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(TOP_LINKS)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return new ClickQueries.Overview(humans, bots, top);
  }

  /** A time range from the query: ISO-8601 instants, by default the last 24 hours. */
  record Range(Instant from, Instant to) {
    static Range of(String from, String to) {
      Instant end = to == null || to.isBlank() ? Instant.now() : instant("to", to);
      Instant start =
          from == null || from.isBlank() ? end.minus(DEFAULT_RANGE) : instant("from", from);
      if (!start.isBefore(end)) {
        throw ProblemException.invalid("from", "must be before to");
      }
      return new Range(start, end);
    }

    /** Widened to whole UTC hours, as the hourly rollups count. */
    Range wholeHours() {
      Instant end = to.truncatedTo(ChronoUnit.HOURS);
      return new Range(
          from.truncatedTo(ChronoUnit.HOURS), end.equals(to) ? end : end.plus(1, ChronoUnit.HOURS));
    }

    OffsetDateTime fromUtc() {
      return from.atOffset(ZoneOffset.UTC);
    }

    OffsetDateTime toUtc() {
      return to.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(String name, String value) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw ProblemException.invalid(
            name, "must be an ISO-8601 instant with an offset, e.g. 2026-12-01T00:00:00Z");
      }
    }
  }

  private static ZoneId zone(String tz) {
    try {
      return ZoneId.of(tz);
    } catch (DateTimeException e) {
      throw ProblemException.invalid("tz", "must be an IANA time zone, e.g. Europe/Paris");
    }
  }

  private static boolean bool(String name, String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ProblemException.invalid(name, "must be true or false");
    };
  }

  private static Dimension dimension(String name) {
    for (Dimension d : Dimension.values()) {
      if (d.name().equalsIgnoreCase(name)) {
        return d;
      }
    }
    throw new ProblemException(
        ProblemType.NOT_FOUND,
        "no breakdown '" + name + "': countries, referrers, browsers, os or devices");
  }
}
