package io.tinyscale.app.capture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinyscale.core.clickstream.ClickEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * TINYSCALE_CLICK_CAPTURE=sync-db, for benchmarks only: each redirect waits for one insert of its
 * click into {@code clicks} (autocommit, on a worker thread, through the app's connection pool), as
 * most shorteners record a visit. Enrichment is left for later, as they do with geolocation, so the
 * row holds what the redirect knows. Kafka never sees these clicks: no hourly counts, search or
 * live stream.
 */
@Singleton
@Typed(DatabaseClickSink.class)
class DatabaseClickSink implements ClickSink {
  private static final Logger LOG = Logger.getLogger(DatabaseClickSink.class);

  private final ClickRowStore rows;
  private final Vertx vertx;
  private final Counter inserted;
  private final Counter failed;
  private final AtomicLong lastWarning = new AtomicLong();

  DatabaseClickSink(ClickRowStore rows, Vertx vertx, MeterRegistry meters) {
    this.rows = rows;
    this.vertx = vertx;
    inserted =
        Counter.builder("tinyscale_clicks_inserted")
            .description(
                "Clicks inserted into Postgres before their answer (click capture sync-db)")
            .register(meters);
    failed =
        Counter.builder("tinyscale_clicks_insert_errors")
            .description("Clicks whose insert failed (click capture sync-db); they are lost")
            .register(meters);
  }

  @Override
  public boolean syncsEachClick() {
    return true;
  }

  /** Not for this sink: it only takes clicks whose answer waits for them. */
  @Override
  public long accept(ClickEvent event) {
    throw new UnsupportedOperationException("sync-db capture answers after the insert");
  }

  @Override
  public void acceptDurably(ClickEvent event, Runnable answer) {
    // unordered: the clicks of one event loop are inserted in parallel, up to the pool's size
    vertx.executeBlocking(
        () -> {
          try {
            rows.insert(event);
            inserted.increment();
          } catch (RuntimeException e) {
            failed.increment();
            long now = System.currentTimeMillis();
            if (now - lastWarning.getAndSet(now) > 60_000) {
              LOG.errorf("Clicks cannot be inserted into Postgres, and are lost: %s", e.toString());
            }
          }
          answer.run(); // answered either way, as the async capture does
          return null;
        },
        false);
  }
}
