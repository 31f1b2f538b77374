package io.tinyscale.app.analytics;

import io.tinyscale.app.account.ApiGate;
import io.tinyscale.app.http.ProblemResponses;
import io.tinyscale.app.link.Link;
import io.tinyscale.app.link.LinkAccess;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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

  private final LinkAccess access;
  private final StatsRepository stats;

  StatsResource(LinkAccess access, StatsRepository stats) {
    this.access = access;
    this.stats = stats;
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
    Link link = access.require(ApiGate.caller(request), code);
    StatsRepository.Totals totals = stats.totals(link.id());
    OffsetDateTime thisHour = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
    OffsetDateTime since = thisHour.minusHours(23);
    Map<OffsetDateTime, Long> hours = stats.humanClicksByHour(link.id(), since);
    List<HourBucket> last24h = new ArrayList<>(24);
    for (OffsetDateTime h = since; !h.isAfter(thisHour); h = h.plusHours(1)) {
      last24h.add(new HourBucket(h, hours.getOrDefault(h, 0L)));
    }
    return new Stats(
        link.code(),
        link.url(),
        link.createdAt(),
        link.expiresAt(),
        totals.human() + totals.bots(),
        totals.human(),
        totals.bots(),
        stats.lastClickAt(link.id()),
        last24h);
  }
}
