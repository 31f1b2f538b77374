package io.tinyscale.app.link;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The target URL of links by id, deleted ones included, for the search indexer's click documents.
 * Kept for ten minutes: a click indexed within ten minutes of its link's URL changing may carry the
 * old URL (its {@code url_id} stays exact; see docs/analytics.md).
 */
@ApplicationScoped
public class LinkUrls {
  private final LinkRepository links;
  private final Cache<Long, String> cache =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();

  LinkUrls(LinkRepository links) {
    this.links = links;
  }

  /** The URL of each id that names a link, stored or not; ids of no link are absent. */
  public Map<Long, String> of(Collection<Long> ids) {
    Map<Long, String> found = new HashMap<>(cache.getAllPresent(ids));
    Set<Long> missing = new HashSet<>(ids);
    missing.removeAll(found.keySet());
    if (!missing.isEmpty()) {
      Map<Long, String> loaded = links.urlsOf(missing);
      cache.putAll(loaded);
      found.putAll(loaded);
    }
    return found;
  }
}
