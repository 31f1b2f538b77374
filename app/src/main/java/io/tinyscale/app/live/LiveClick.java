package io.tinyscale.app.live;

import io.tinyscale.core.enrich.EnrichedClick;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The data of an {@code event: click} on the live stream: what a dashboard shows of a click, and
 * nothing it must not (no IP, no user agent). The OpenAPI document names it {@value #SCHEMA}, so
 * the dashboard's types come from the same contract as the rest of the API; {@link Frames#click}
 * writes exactly these fields.
 */
@Schema(name = LiveClick.SCHEMA, description = "The data of an 'event: click' on /api/stream")
public record LiveClick(
    @Schema(required = true) String code,
    @Schema(required = true) Instant clickedAt,
    @Schema(nullable = true, examples = "Firefox") String browser,
    @Schema(nullable = true, examples = "Linux") String os,
    @Schema(nullable = true, examples = "Desktop") String device,
    @Schema(nullable = true, description = "ISO 3166 alpha-2", examples = "US") String country,
    @Schema(nullable = true, examples = "news.example.org") String referrerHost,
    @Schema(required = true) boolean bot) {
  public static final String SCHEMA = "LiveClick";

  static LiveClick of(EnrichedClick c) {
    return new LiveClick(
        c.code(), c.at(), c.browser(), c.os(), c.device(), c.country(), c.referrer(), c.bot());
  }
}
