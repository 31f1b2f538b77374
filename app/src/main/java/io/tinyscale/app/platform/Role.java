package io.tinyscale.app.platform;

/** What one process of the app does (TINYSCALE_ROLE): the same artifact runs every role. */
public enum Role {
  /** Redirects, the API, the dashboard and the live stream; no click consumer. */
  SERVER,
  /** The click consumers; over HTTP only health and metrics. */
  WORKER,
  /** Both: the local default. */
  ALL;

  public boolean servesRequests() {
    return this != WORKER;
  }

  public boolean runsConsumers() {
    return this != SERVER;
  }
}
