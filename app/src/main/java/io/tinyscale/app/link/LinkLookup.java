package io.tinyscale.app.link;

/** What the in-memory tier (L1) knows of a short code. */
public sealed interface LinkLookup {
  /** A live link, as L1 holds it (no allocation per lookup). */
  record Hit(CachedLink link) implements LinkLookup {}

  /** Looked up recently and not found: answered 404 without asking Redis or Postgres. */
  record KnownMissing() implements LinkLookup {}

  /** Not in memory: ask {@link LinkCache#load}. */
  record Unknown() implements LinkLookup {}

  KnownMissing KNOWN_MISSING = new KnownMissing();
  Unknown UNKNOWN = new Unknown();
}
