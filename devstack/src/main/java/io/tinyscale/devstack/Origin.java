package io.tinyscale.devstack;

import java.util.Locale;

/** How devstack came by an engine; only {@link #STARTED} engines are stopped by devstack. */
public enum Origin {
  /** Its variable (e.g. {@code TINYSCALE_DB_URL}) named it, and it is used as is. */
  GIVEN,
  /** It answered on its default local port. */
  FOUND,
  /** Devstack started it, with its data under the home directory. */
  STARTED;

  /** The word {@code devstack} prints for it: given, found or started. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
