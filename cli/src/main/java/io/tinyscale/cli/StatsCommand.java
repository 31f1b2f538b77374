package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

final class StatsCommand extends Base {
  // shown in place of the generic lines below
  private static final Set<String> SHOWN =
      Set.of(
          "code",
          "url",
          "createdAt",
          "expiresAt",
          "totalClicks",
          "humanClicks",
          "botClicks",
          "lastClickAt",
          "last24h");

  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "stats",
            new StatsCommand(),
            new String[] {"Show the click totals of one of your links."},
            "tinyscale stats hello",
            "tinyscale stats hello --json | jq .totalClicks");
    spec.addPositional(Specs.parameter("CODE", "The link's code (the part after the domain)."));
    return spec;
  }

  @Override
  public Integer call() {
    Http.Response answer = api().call("GET", "/api/stats/" + Http.segment(parameter(0)), null);
    if (!printJson(answer)) {
      out().print(render(answer.json(), zone(), unicodeOut()));
    }
    return ExitCodes.OK;
  }

  /**
   * @param bars whether stdout can show block characters for the hourly sparkline
   */
  static String render(JsonNode stats, ZoneId zone, boolean bars) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"code", Json.text(stats, "code")});
    lines.add(new String[] {"url", Json.text(stats, "url")});
    lines.add(new String[] {"created", Times.show(Json.text(stats, "createdAt"), zone, "-")});
    lines.add(new String[] {"expires", Times.show(Json.text(stats, "expiresAt"), zone, "never")});
    String clicks = Json.text(stats, "totalClicks");
    if (stats.hasNonNull("humanClicks") && stats.hasNonNull("botClicks")) {
      clicks +=
          " ("
              + stats.get("humanClicks").asText()
              + " by people, "
              + stats.get("botClicks").asText()
              + " by bots)";
    }
    lines.add(new String[] {"clicks", clicks == null ? "0" : clicks});
    JsonNode last24h = stats.path("last24h");
    if (last24h.isArray()) {
      long sum = 0;
      for (JsonNode hour : last24h) {
        sum += hour.path("count").asLong();
      }
      lines.add(
          new String[] {
            "last 24 h", sum + " by people" + (bars && sum > 0 ? "  " + sparkline(last24h) : "")
          });
    } else if (stats.has("last24h")) {
      lines.add(new String[] {"last 24 h", Json.text(stats, "last24h")});
    }
    lines.add(
        new String[] {"last click", Times.show(Json.text(stats, "lastClickAt"), zone, "never")});
    // fields this client does not know yet still show
    for (Iterator<Map.Entry<String, JsonNode>> it = stats.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!SHOWN.contains(field.getKey())) {
        lines.add(new String[] {field.getKey(), Json.text(stats, field.getKey())});
      }
    }
    return Table.pairs(lines);
  }

  /** One block per hour, oldest first, scaled to the busiest hour. */
  static String sparkline(JsonNode hours) {
    String blocks = "▁▂▃▄▅▆▇█";
    long max = 0;
    for (JsonNode hour : hours) {
      max = Math.max(max, hour.path("count").asLong());
    }
    StringBuilder line = new StringBuilder();
    for (JsonNode hour : hours) {
      long count = hour.path("count").asLong();
      line.append(
          max == 0
              ? blocks.charAt(0)
              : blocks.charAt((int) ((count * (blocks.length() - 1) + max - 1) / max)));
    }
    return line.toString();
  }
}
