package io.tinyscale.app.platform;

/** What the redirect does with each click (TINYSCALE_CLICK_CAPTURE). */
public enum ClickCapture {
  /** Appended to the local journal before the answer; shipped to Kafka by another thread. */
  ASYNC,
  /** Not captured at all: only for measuring what capture costs. */
  OFF,
  /**
   * Inserted into Postgres on a worker thread before the answer, not sent to Kafka (so neither
   * aggregated, indexed nor streamed live): only for comparing with that common design.
   */
  SYNC_DB
}
