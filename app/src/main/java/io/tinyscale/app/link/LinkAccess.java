package io.tinyscale.app.link;

import io.tinyscale.app.account.Caller;
import io.tinyscale.app.http.ProblemException;
import io.tinyscale.app.http.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Who may see or change a link, decided here and nowhere else: every endpoint that reads or changes
 * a link (links, stats, QR codes, the live stream, and later analytics and search) asks this
 * policy. Today the rule is "its owner"; teams will be a change to this class and a migration.
 */
@ApplicationScoped
public class LinkAccess {
  private final LinkRepository links;

  LinkAccess(LinkRepository links) {
    this.links = links;
  }

  /**
   * The live link the caller may use; otherwise a 404, also for another account's link, so that
   * nobody learns which codes others own.
   */
  public Link require(Caller caller, String code) {
    return links
        .findLive(code)
        .filter(link -> mayUse(caller, link))
        .orElseThrow(() -> notFound(code));
  }

  /**
   * Who may see the link with this code: the live stream asks once per link and then per click, for
   * each caller streaming all of their links. Nobody, for a code with no live link.
   */
  public Predicate<Caller> audience(String code) {
    return links
        .findLive(code)
        .<Predicate<Caller>>map(link -> caller -> mayUse(caller, link))
        .orElse(caller -> false);
  }

  /** One page of the links the caller may use, in this order, and how many there are in all. */
  Page visible(Caller caller, LinkSort sort, int offset, int limit) {
    return new Page(
        links.listOwned(caller.userId(), sort, offset, limit), links.countOwned(caller.userId()));
  }

  /** Of the links with these ids, the live ones the caller may use, in the order given. */
  List<Link> visibleAmong(Caller caller, List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<Long, Link> live = links.findLive(ids);
    return ids.stream().map(live::get).filter(l -> l != null && mayUse(caller, l)).toList();
  }

  /** The ids of every live link the caller may use. */
  public List<Long> visibleIds(Caller caller) {
    return links.idsOwned(caller.userId());
  }

  /** Of the links with these ids, the live ones the caller may use, by id. */
  public Map<Long, Link> visibleById(Caller caller, List<Long> ids) {
    Map<Long, Link> found = new HashMap<>();
    visibleAmong(caller, ids).forEach(l -> found.put(l.id(), l));
    return found;
  }

  record Page(List<Link> links, int total) {}

  private static boolean mayUse(Caller caller, Link link) {
    return link.ownerId() == caller.userId();
  }

  static ProblemException notFound(String code) {
    return new ProblemException(ProblemType.LINK_NOT_FOUND, "you have no link /" + code);
  }
}
