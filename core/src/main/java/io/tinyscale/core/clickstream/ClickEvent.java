package io.tinyscale.core.clickstream;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One click as it travels through Kafka, the spool and the sinks. {@code eventId} is what makes
 * every sink idempotent, so it is fixed when the redirect happens and never regenerated. {@code
 * ip}, {@code userAgent} and {@code referrer} may be null. The redirect truncates {@code ip} (IPv4
 * /24, IPv6 /48) before the event is stored anywhere, Kafka and the spool included, unless
 * configured to keep it whole; all other enrichment happens in the worker.
 */
public record ClickEvent(
    UUID eventId,
    String code,
    long urlId,
    Instant at,
    String ip,
    String userAgent,
    String referrer) {

  /**
   * Written with every serialised event: spooled events can outlive a deploy, so a consumer must be
   * able to tell an old payload from a new one.
   */
  public static final int SCHEMA_VERSION = 1;

  public ClickEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(at, "at");
  }
}
