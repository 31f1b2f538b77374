package io.tinyscale.app.analytics;

import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;

import io.tinyscale.app.account.ApiGate;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.link.LinkService;
import io.tinyscale.storage.jooq.tables.records.UrlsRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Click totals of one link, for its owner, from the aggregator's hourly rollups. */
@Path("/api/stats")
@Tag(name = "analytics")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {
  public record Stats(
      String code,
      String url,
      OffsetDateTime createdAt,
      OffsetDateTime expiresAt,
      long totalClicks,
      long humanClicks,
      long botClicks,
      OffsetDateTime lastClickAt,
      List<HourBucket> last24h) {}

  /** Human clicks in one hour (bots are left out of series, as in every analytics view). */
  public record HourBucket(OffsetDateTime start, long count) {}

  private final LinkService links;
  private final DSLContext dsl;

  StatsResource(LinkService links, DSLContext dsl) {
    this.links = links;
    this.dsl = dsl;
  }

  @GET
  @Path("/{code}")
  @Operation(
      operationId = "getLinkStats",
      summary = "Click totals of a link",
      description = "Counts come from the click pipeline's hourly rollups.")
  @APIResponse(responseCode = "200", description = "The link's click totals")
  @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
  public Stats stats(@PathParam("code") String code, @Context ContainerRequestContext request) {
    UrlsRecord link =
        links
            .find(ApiGate.caller(request).userId(), code)
            .orElseThrow(() -> LinkService.notFound(code));
    Map<Boolean, BigDecimal> byBot =
        dsl.select(URL_STATS_HOURLY.IS_BOT, DSL.sum(URL_STATS_HOURLY.COUNT))
            .from(URL_STATS_HOURLY)
            .where(URL_STATS_HOURLY.URL_ID.eq(link.getId()))
            .groupBy(URL_STATS_HOURLY.IS_BOT)
            .fetchMap(r -> r.value1(), r -> r.value2());
    long human = byBot.getOrDefault(false, BigDecimal.ZERO).longValue();
    long bots = byBot.getOrDefault(true, BigDecimal.ZERO).longValue();
    OffsetDateTime thisHour = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
    OffsetDateTime since = thisHour.minusHours(23);
    Map<OffsetDateTime, Long> hours =
        dsl.select(URL_STATS_HOURLY.HOUR, URL_STATS_HOURLY.COUNT)
            .from(URL_STATS_HOURLY)
            .where(
                URL_STATS_HOURLY
                    .URL_ID
                    .eq(link.getId())
                    .and(URL_STATS_HOURLY.IS_BOT.isFalse())
                    .and(URL_STATS_HOURLY.HOUR.ge(since)))
            .fetchMap(r -> r.value1().toInstant().atOffset(ZoneOffset.UTC), r -> r.value2());
    List<HourBucket> last24h = new ArrayList<>(24);
    for (OffsetDateTime h = since; !h.isAfter(thisHour); h = h.plusHours(1)) {
      last24h.add(new HourBucket(h, hours.getOrDefault(h, 0L)));
    }
    OffsetDateTime lastClickAt =
        dsl.select(DSL.max(CLICKS.CLICKED_AT))
            .from(CLICKS)
            .where(CLICKS.URL_ID.eq(link.getId()))
            .fetchOne(0, OffsetDateTime.class);
    return new Stats(
        link.getShortCode(),
        link.getOriginalUrl(),
        link.getCreatedAt(),
        link.getExpiresAt(),
        human + bots,
        human,
        bots,
        lastClickAt,
        last24h);
  }
}
