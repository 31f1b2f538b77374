package io.tinyscale.app.platform;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Locale;

/**
 * Is a database failure the database's state (away, shutting down, out of connections, asking for a
 * retry) rather than something wrong with the statement or its data? The one place that decides it:
 * the pipeline's consumers then wait and retry the same batch instead of dead-lettering it, and the
 * API answers 503 with {@code Retry-After} instead of 500.
 */
public final class DatabaseFailures {
  private DatabaseFailures() {}

  public static boolean isTransient(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof ConnectException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08 connection, 53 resources, 57 operator intervention (shutdown), 40 rollback/deadlock
        if (state.startsWith("08")
            || state.startsWith("53")
            || state.startsWith("57")
            || state.startsWith("40")) {
          return true;
        }
      }
      String message = String.valueOf(t.getMessage());
      // Agroal's pool had no connection to give within its acquisition timeout (the database
      // accepts
      // but does not answer, or every connection is busy): plain SQLExceptions, without a SQLSTATE.
      if (t instanceof SQLException
          && message.toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
        return true;
      }
      if (t.getClass().getName().contains("PSQLException") && message.contains("onnection")) {
        return true;
      }
    }
    return false;
  }
}
