package io.tinyscale.bench.gatling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of one Gatling report, per request name, for stdout: {@code Summary REPORT_DIR
 * SCENARIO}. Gatling 3.15 writes its statistics only into the report's HTML (no stats.json any
 * more), so this reads index.html's statistics table (percentiles 50/95/99/99.9, as gatling.conf
 * sets them) and its errors table. Prints a table, then one {@code LOAD_RESULT k=v …} line per
 * request name and one {@code LOAD_ERROR} line per error that the script and a reader can grep.
 */
public final class Summary {
  private static final Pattern ROW =
      Pattern.compile("<tr id=\"[^\"]*\"[^>]*>(.*?)</tr>", Pattern.DOTALL);
  private static final Pattern NAME = Pattern.compile("class=\"ellipsed-name\">([^<]*)<");
  private static final Pattern CELL = Pattern.compile("class=\"value [a-z]+ col-(\\d+)\">([^<]*)<");
  private static final Pattern ERROR =
      Pattern.compile(
          "class=\"error-col-1 total ko\">(.*?)<span class=\"value\"[^>]*>\\d+</span>\\s*</td>\\s*"
              + "<td class=\"value error-col-2 total ko\">(\\d+)<",
          Pattern.DOTALL);

  private Summary() {}

  public static void main(String[] args) throws IOException {
    String html = Files.readString(Path.of(args[0], "index.html"));
    String scenario = args[1];
    System.out.printf(
        Locale.ROOT,
        "%-16s %9s %7s %8s %8s %8s %8s %8s%n",
        "request",
        "requests",
        "errors",
        "rps",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms");
    StringBuilder results = new StringBuilder();
    Matcher row = ROW.matcher(html);
    while (row.find()) {
      Matcher name = NAME.matcher(row.group(1));
      if (!name.find()) {
        continue;
      }
      Map<Integer, String> cells = new HashMap<>();
      Matcher cell = CELL.matcher(row.group(1));
      while (cell.find()) {
        cells.put(Integer.parseInt(cell.group(1)), cell.group(2).trim());
      }
      String request = name.group(1).trim();
      System.out.printf(
          Locale.ROOT,
          "%-16s %9s %7s %8s %8s %8s %8s %8s%n",
          request,
          cells.get(2),
          cells.get(4),
          cells.get(6),
          cells.get(8),
          cells.get(9),
          cells.get(10),
          cells.get(12));
      results.append(
          String.format(
              Locale.ROOT,
              "LOAD_RESULT scenario=%s request=%s requests=%s errors=%s rps=%s p50_ms=%s p95_ms=%s"
                  + " p99_ms=%s p999_ms=%s max_ms=%s%n",
              scenario,
              request.replace(' ', '_'),
              cells.get(2),
              cells.get(4),
              cells.get(6),
              cells.get(8),
              cells.get(9),
              cells.get(10),
              cells.get(11),
              cells.get(12)));
    }
    System.out.print(results);
    Matcher error = ERROR.matcher(html);
    while (error.find()) {
      System.out.printf(
          "LOAD_ERROR scenario=%s count=%s error=%s%n",
          scenario, error.group(2), error.group(1).replaceAll("\\s+", " ").trim());
    }
  }
}
