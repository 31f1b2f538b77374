package io.tinyscale.app.analytics;

import static io.tinyscale.storage.jooq.Tables.CLICKS;
import static io.tinyscale.storage.jooq.Tables.URL_STATS_HOURLY;

import io.tinyscale.app.link.LinkService;
import io.tinyscale.app.web.ApiGate;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Click totals of one link, for its owner. */
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
      OffsetDateTime lastClickAt) {}

  private final LinkService links;
  private final DSLContext dsl;

  StatsResource(LinkService links, DSLContext dsl) {
    this.links = links;
    this.dsl = dsl;
  }

  @GET
  @Path("/{code}")
  @Operation(summary = "Click totals of a link", description = "Counts come from the click pipeline's hourly rollups.")
  public Stats stats(@PathParam("code") String code, @Context ContainerRequestContext request) {
    UrlsRecord link = links.find(ApiGate.caller(request).userId(), code).orElseThrow(() -> LinkService.notFound(code));
    BigDecimal total = dsl.select(DSL.sum(URL_STATS_HOURLY.COUNT))
        .from(URL_STATS_HOURLY)
        .where(URL_STATS_HOURLY.URL_ID.eq(link.getId()))
        .fetchOne(0, BigDecimal.class);
    OffsetDateTime lastClickAt = dsl.select(DSL.max(CLICKS.CLICKED_AT))
        .from(CLICKS)
        .where(CLICKS.URL_ID.eq(link.getId()))
        .fetchOne(0, OffsetDateTime.class);
    return new Stats(
        link.getShortCode(),
        link.getOriginalUrl(),
        link.getCreatedAt(),
        link.getExpiresAt(),
        total == null ? 0 : total.longValue(),
        lastClickAt);
  }
}
