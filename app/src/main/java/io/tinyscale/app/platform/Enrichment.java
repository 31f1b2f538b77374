package io.tinyscale.app.platform;

import io.tinyscale.core.enrich.Enricher;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The process's one {@link Enricher}, built when a feature first needs it (the pipeline when it
 * starts, the live stream when its first client connects) and then shared: building one takes
 * seconds and about 125 MB of heap, and it is thread-safe.
 */
@ApplicationScoped
public class Enrichment {
  private volatile Enricher enricher;

  public Enricher get() {
    Enricher built = enricher;
    if (built == null) {
      synchronized (this) {
        built = enricher;
        if (built == null) {
          built = new Enricher();
          enricher = built;
        }
      }
    }
    return built;
  }
}
