package io.tinyscale.app.capture;

import static io.tinyscale.storage.jooq.Tables.CLICKS;

import io.tinyscale.core.clickstream.ClickEvent;
import io.tinyscale.core.enrich.Enricher;
import io.tinyscale.core.enrich.Referrers;
import io.tinyscale.core.enrich.Texts;
import jakarta.inject.Singleton;
import java.time.ZoneOffset;
import org.jooq.DSLContext;

/** One click as one row of {@code clicks}, committed at once: {@link DatabaseClickSink}'s write. */
@Singleton
class ClickRowStore {
  private final DSLContext dsl;

  ClickRowStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Ignores an event id already stored, as the raw click writer does. */
  void insert(ClickEvent event) {
    dsl.insertInto(CLICKS)
        .set(CLICKS.URL_ID, event.urlId())
        .set(CLICKS.EVENT_ID, event.eventId())
        .set(CLICKS.IP_ADDRESS, event.ip())
        .set(CLICKS.USER_AGENT, Texts.truncate(event.userAgent(), Enricher.MAX_USER_AGENT_LENGTH))
        .set(CLICKS.REFERRER, Referrers.host(event.referrer()))
        .set(CLICKS.CLICKED_AT, event.at().atOffset(ZoneOffset.UTC))
        .onConflict(CLICKS.EVENT_ID)
        .doNothing()
        .execute();
  }
}
