package io.tinyscale.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** What a test reads from the database directly, over plain JDBC. */
public final class Db {
  private Db() {}

  /** The one number {@code sql} selects (a count, a sum; null counts as 0). */
  public static long count(Connection db, String sql, Object... params) {
    try (PreparedStatement s = prepare(db, sql, params);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The uuids {@code sql} selects in its first column (event ids, say). */
  public static Set<UUID> uuids(Connection db, String sql, Object... params) {
    try (PreparedStatement s = prepare(db, sql, params);
        ResultSet r = s.executeQuery()) {
      Set<UUID> ids = new HashSet<>();
      while (r.next()) {
        ids.add(r.getObject(1, UUID.class));
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static PreparedStatement prepare(Connection db, String sql, Object... params)
      throws SQLException {
    PreparedStatement s = db.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
    return s;
  }
}
