package io.tinyscale.app.link;

import io.tinyscale.app.link.LinkResource.LinkView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Links as the API shows them: with their short URL, their clicks (the hourly rollups: people and
 * bots) and their status, for one link or a page of them in one query.
 */
@ApplicationScoped
class LinkViews {
  private final LinkRepository links;
  private final ShortUrls shortUrls;

  LinkViews(LinkRepository links, ShortUrls shortUrls) {
    this.links = links;
    this.shortUrls = shortUrls;
  }

  LinkView of(Link link) {
    return of(List.of(link)).getFirst();
  }

  List<LinkView> of(List<Link> page) {
    Map<Long, Long> clicks = links.clickCounts(page.stream().map(Link::id).toList());
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return page.stream()
        .map(
            link ->
                new LinkView(
                    link.code(),
                    shortUrls.of(link.code()),
                    link.url(),
                    link.createdAt(),
                    link.expiresAt(),
                    link.redirectType().status(),
                    link.disabled(),
                    clicks.getOrDefault(link.id(), 0L),
                    status(link, now)))
        .toList();
  }

  private static String status(Link link, OffsetDateTime now) {
    if (link.disabled()) {
      return "disabled";
    }
    if (link.expiresAt() != null && !link.expiresAt().isAfter(now)) {
      return "expired";
    }
    return "active";
  }
}
