package io.tinyscale.app.analytics;

import io.quarkus.scheduler.Scheduled;
import io.tinyscale.app.platform.OpenSearch;
import io.tinyscale.app.platform.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.opensearch.client.opensearch._types.OpenSearchException;

/**
 * The raw clicks in OpenSearch: one index per calendar month (UTC) of the click, {@code
 * tinyscale-clicks-2026.12}, all behind the read alias {@value #ALIAS}. The index template
 * (resources {@code opensearch/clicks-template.json}) gives every new month its mapping and the
 * alias, whether the month is created ahead by {@link #maintain} or on the first click written to
 * it.
 *
 * <p>Retention (TINYSCALE_RETENTION) is enforced here, since the ISM plugin is not available: a
 * month's index is deleted once the whole month is older than the retention. Postgres keeps every
 * click, so a deleted month can be rebuilt (docs/analytics.md, "Reindexing").
 */
@ApplicationScoped
public class ClickIndex {
  private static final Logger LOG = Logger.getLogger(ClickIndex.class);

  /** What queries read: every month's index. */
  public static final String ALIAS = "tinyscale-clicks";

  static final String PREFIX = ALIAS + "-";
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu.MM");

  private final OpenSearch openSearch;
  private final Settings settings;
  private volatile boolean templateInstalled;

  ClickIndex(OpenSearch openSearch, Settings settings) {
    this.openSearch = openSearch;
    this.settings = settings;
  }

  /** The index a click made at {@code at} belongs to. */
  public static String indexFor(Instant at) {
    return PREFIX + YearMonth.from(at.atOffset(ZoneOffset.UTC)).format(MONTH);
  }

  /**
   * Installs the index template once per process (again after a failure), before anything is
   * written: an index created without it would get guessed mappings.
   */
  public void ensureTemplate() {
    if (!templateInstalled) {
      openSearch.sendResource("PUT", "/_index_template/" + ALIAS, "clicks-template.json");
      templateInstalled = true;
    }
  }

  /**
   * Whether a click made at {@code at} is still kept: clicks of a month past retention are not
   * indexed (the month's index is, or is about to be, deleted).
   */
  public boolean retained(Instant at, Instant now) {
    return !expired(YearMonth.from(at.atOffset(ZoneOffset.UTC)), now);
  }

  private boolean expired(YearMonth month, Instant now) {
    Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    return end.atOffset(ZoneOffset.UTC).plus(settings.retention()).toInstant().isBefore(now);
  }

  /**
   * The schedule's work: the template, this month's and next month's index (so the first clicks of
   * a month never wait for an index to be created), and the deletion of months past retention.
   * Returns the indices deleted.
   */
  public List<String> maintain(Instant now) {
    ensureTemplate();
    YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
    create(current);
    create(current.plusMonths(1));
    List<String> deleted = new ArrayList<>();
    for (String index : months()) {
      YearMonth month = monthOf(index);
      if (month != null && expired(month, now)) {
        openSearch.call(c -> c.indices().delete(d -> d.index(index)));
        deleted.add(index);
        LOG.infof("Deleted %s: past the retention of %s", index, settings.retention());
      }
    }
    return deleted;
  }

  /** Hourly, in processes that run the consumers (the search indexer's side). */
  @Scheduled(every = "1h", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void onSchedule() {
    if (!settings.role().runsConsumers()) {
      return;
    }
    try {
      maintain(Instant.now());
    } catch (RuntimeException e) {
      LOG.warnf(
          "Index maintenance failed (%s); next try in an hour, or when the indexer writes",
          e.toString());
    }
  }

  /** Creates the month's index; nothing when it exists. */
  void create(YearMonth month) {
    String index = PREFIX + month.format(MONTH);
    try {
      if (!openSearch.call(c -> c.indices().exists(e -> e.index(index))).value()) {
        openSearch.call(c -> c.indices().create(i -> i.index(index)));
      }
    } catch (OpenSearchException e) {
      if (!"resource_already_exists_exception".equals(e.error().type())) {
        throw e; // another worker created it meanwhile otherwise
      }
    }
  }

  /** The names of the monthly indices that exist. */
  List<String> months() {
    return new ArrayList<>(
        openSearch.call(c -> c.indices().get(g -> g.index(PREFIX + "*"))).result().keySet());
  }

  private static YearMonth monthOf(String index) {
    try {
      return YearMonth.parse(index.substring(PREFIX.length()), MONTH);
    } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
      return null; // not one of ours (a reindex target, say): left alone
    }
  }
}
