package io.tinyscale.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Left-aligned columns two spaces apart, for people; scripts use {@code --json}. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... headers) {
    columns = headers.length;
    rows.add(headers);
  }

  Table row(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "expected " + columns + " cells, got " + Arrays.toString(cells));
    }
    rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : c).toArray(String[]::new));
    return this;
  }

  int size() {
    return rows.size() - 1;
  }

  /** The lines, without trailing spaces; the last column is not padded. */
  String render() {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** "label value" lines, labels padded to one width. */
  static String pairs(List<String[]> pairs) {
    int width = pairs.stream().mapToInt(p -> p[0].length()).max().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String[] p : pairs) {
      out.append(p[0])
          .append(" ".repeat(width - p[0].length() + 2))
          .append(p[1] == null ? "-" : p[1])
          .append('\n');
    }
    return out.toString();
  }
}
