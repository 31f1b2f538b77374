package io.tinyscale.core.enrich;

import io.tinyscale.core.clickstream.ClickEvent;
import java.net.InetAddress;

/**
 * Turns a raw {@link ClickEvent} into an {@link EnrichedClick}: user agent → browser, OS, device
 * and bot flag ({@link UserAgents}), IP → country ({@link Countries}), IP truncation ({@link
 * IpAnonymizer}), referrer → host ({@link Referrers}). Runs in the worker, never on the redirect
 * path.
 *
 * <p>The country is looked up from the full IP, which then is truncated: the full address exists
 * only in memory while one event is enriched, and only the truncated one is returned for storage.
 *
 * <p>Building one costs seconds and about 125 MB of heap (the user agent analyzer, see {@link
 * UserAgents}, and the 8 MB country database); build one per process. Thread-safe: consumer threads
 * may share it.
 */
public final class Enricher {

  static final int MAX_USER_AGENT_LENGTH = 1024;

  private final UserAgents userAgents;
  private final Countries countries;
  private final boolean keepFullIp;

  /**
   * @param keepFullIp store whole client IPs instead of truncating them (an operator's explicit
   *     choice; the default everywhere is {@code false})
   */
  public Enricher(boolean keepFullIp) {
    this(new UserAgents(), Countries.fromClasspath(), keepFullIp);
  }

  /** For callers that already hold the expensive parts, such as tests sharing them. */
  public Enricher(UserAgents userAgents, Countries countries, boolean keepFullIp) {
    this.userAgents = userAgents;
    this.countries = countries;
    this.keepFullIp = keepFullIp;
  }

  public EnrichedClick enrich(ClickEvent event) {
    InetAddress address = IpLiterals.parse(event.ip());
    String country = countries.country(address);
    String storedIp = IpAnonymizer.anonymize(address, keepFullIp);
    // parse the whole user agent (yauaa caps and judges over-long ones itself), store a bounded one
    UserAgents.Agent agent = userAgents.parse(event.userAgent());
    return new EnrichedClick(
        event.eventId(),
        event.code(),
        event.urlId(),
        event.at(),
        storedIp,
        Texts.truncate(event.userAgent(), MAX_USER_AGENT_LENGTH),
        Referrers.host(event.referrer()),
        country,
        agent.browser(),
        agent.os(),
        agent.device(),
        agent.bot());
  }
}
