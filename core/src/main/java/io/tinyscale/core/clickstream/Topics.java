package io.tinyscale.core.clickstream;

/** The click stream's Kafka topics. */
public final class Topics {
  /** Every answered redirect's click, keyed by short code. */
  public static final String CLICKS = "clicks";

  /** Events a consumer could not process, with headers saying why and where they came from. */
  public static final String DEAD_LETTERS = "clicks.dlt";

  private Topics() {}
}
