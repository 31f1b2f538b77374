package io.tinyscale.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A database's contents as tests compare them, and scratch databases of their own. */
final class Tables {
  private Tables() {}

  /**
   * Every table of the public schema (found in information_schema, so a table added later is
   * compared too) as its rows' text, sorted; and, under {@code (sequences)}, the sequences'
   * positions, so that restored ids go on from where they were.
   */
  static Map<String, List<String>> rows(Connection db) throws SQLException {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    try (Statement sql = db.createStatement()) {
      List<String> names =
          strings(
              sql,
              "select table_name from information_schema.tables where table_schema = 'public'"
                  + " and table_type = 'BASE TABLE' order by table_name");
      for (String name : names) {
        tables.put(
            name,
            strings(
                sql,
                "select r::text from public.\"" + name.replace("\"", "\"\"") + "\" r order by 1"));
      }
      tables.put(
          "(sequences)",
          strings(
              sql,
              "select sequencename || ' ' || coalesce(last_value::text, '-') from pg_sequences"
                  + " where schemaname = 'public' order by 1"));
    }
    return tables;
  }

  private static List<String> strings(Statement sql, String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rows = sql.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  /**
   * Drops {@code database} (its sessions ended) and, unless {@code create} is false, creates it
   * empty; through the maintenance database of the server {@code url} names.
   */
  static void recreate(String url, String user, String password, String database, boolean create)
      throws SQLException {
    String maintenance = url.replaceFirst("/[^/?]+(\\?.*)?$", "/postgres");
    try (Connection admin = DriverManager.getConnection(maintenance, user, password);
        Statement sql = admin.createStatement()) {
      sql.execute("drop database if exists " + database + " with (force)");
      if (create) {
        sql.execute("create database " + database);
      }
    }
  }
}
