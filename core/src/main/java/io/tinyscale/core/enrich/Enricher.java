package io.tinyscale.core.enrich;

import io.tinyscale.core.clickstream.ClickEvent;
import java.net.InetAddress;

/**
 * Turns a raw {@link ClickEvent} into an {@link EnrichedClick}: user agent → browser, OS, device
 * and bot flag ({@link UserAgents}), IP → country ({@link Countries}), referrer → host ({@link
 * Referrers}). Runs in the worker, never on the redirect path.
 *
 * <p>The IP arrives as the redirect wrote it: already truncated at the edge ({@link IpAnonymizer}),
 * unless the operator keeps whole addresses. The country is looked up from that address (country
 * databases work at the granularity of a /24 or /48), which is stored as canonical text.
 *
 * <p>Building one costs seconds and about 125 MB of heap (the user agent analyzer, see {@link
 * UserAgents}, and the 8 MB country database); build one per process. Thread-safe: consumer threads
 * may share it.
 */
public final class Enricher {

  public static final int MAX_USER_AGENT_LENGTH = 1024;

  private final UserAgents userAgents;
  private final Countries countries;

  public Enricher() {
    this(new UserAgents(), Countries.fromClasspath());
  }

  /** For callers that already hold the expensive parts, such as tests sharing them. */
  public Enricher(UserAgents userAgents, Countries countries) {
    this.userAgents = userAgents;
    this.countries = countries;
  }

  public EnrichedClick enrich(ClickEvent event) {
    InetAddress address = IpLiterals.parse(event.ip());
    String country = countries.country(address);
    String storedIp = IpAnonymizer.canonical(address);
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
