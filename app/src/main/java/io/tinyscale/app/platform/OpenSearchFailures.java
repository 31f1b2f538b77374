package io.tinyscale.app.platform;

import java.io.IOException;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * Is an OpenSearch failure the cluster's state (away, overloaded, rejecting with 429, shards not
 * ready) rather than something wrong with the request? The indexer then waits and retries the same
 * batch; the API degrades (Postgres histograms, 503 with Retry-After) instead of answering 500.
 */
public final class OpenSearchFailures {
  private OpenSearchFailures() {}

  /** OpenSearch answered, but cannot do the work now. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String message) {
      super(message);
    }

    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static boolean isTransientStatus(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  public static boolean isTransient(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Unavailable) {
        return true;
      }
      if (t instanceof OpenSearchException e && isTransientStatus(e.status())) {
        return true;
      }
      if (t instanceof ResponseException e) {
        return isTransientStatus(e.status());
      }
      // no connection, a reset or a timeout: the transport's own failures are IOExceptions
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
