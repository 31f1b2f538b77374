package io.tinyscale.core.enrich;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A click ready to be stored: the {@link io.tinyscale.core.ClickEvent}'s identity and time, the
 * client IP as it may be kept (truncated unless configured otherwise), the user agent cut to
 * {@value Enricher#MAX_USER_AGENT_LENGTH} characters, the referring host, and what enrichment
 * found. Every enriched value is {@code null} when unknown, except {@code bot}, which is always
 * decided (see {@link UserAgents}).
 */
public record EnrichedClick(
    UUID eventId,
    String code,
    long urlId,
    Instant at,
    String ip,
    String userAgent,
    String referrer,
    String country,
    String browser,
    String os,
    String device,
    boolean bot) {

  public EnrichedClick {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(at, "at");
  }
}
