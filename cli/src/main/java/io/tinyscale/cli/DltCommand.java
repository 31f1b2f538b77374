package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import picocli.CommandLine.Model.CommandSpec;

final class DltCommand extends Base {
  static final String LIST = "/api/admin/dlt";
  static final String REPLAY = "/api/admin/dlt/replay";

  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "dlt",
            new DltCommand(),
            new String[] {
              "List or replay click events that failed (admins only).",
              "The click pipeline's dead-letter topic, clicks.dlt, holds events the workers could not"
                  + " write. The server's operator makes an account admin with 'tinyscale admin grant EMAIL'."
            },
            "tinyscale dlt list --limit 20",
            "tinyscale dlt list --json | jq -r '.items[].headers[\"x-error-message\"]'",
            "tinyscale dlt replay");
    spec.usageMessage().commandListHeading("%nCommands:%n");
    CommandSpec list =
        Specs.command(
            "list",
            new ListEvents(),
            new String[] {"List the most recent dead letters, oldest first, with why each failed."},
            "tinyscale dlt list",
            "tinyscale dlt list --limit 1000 --json");
    list.addOption(
        Specs.option(
                "--limit",
                "N",
                int.class,
                "How many of the most recent to show, 1 to 1000. Default: ${DEFAULT-VALUE}.")
            .defaultValue("100")
            .build());
    spec.addSubcommand("list", list);
    spec.addSubcommand(
        "replay",
        Specs.command(
            "replay",
            new Replay(),
            new String[] {
              "Re-publish every dead letter not replayed before to the clicks topic.",
              "The sinks are idempotent: a click that was written after all is not counted twice."
            },
            "tinyscale dlt replay",
            "tinyscale dlt replay --json"));
    return spec;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return ExitCodes.USAGE;
  }

  static final class ListEvents extends Base {
    @Override
    public Integer call() {
      Api api = api();
      int limit = option("--limit");
      Http.Response answer =
          expectDlt(api, api.send("GET", LIST + "?limit=" + limit, null), "GET " + LIST);
      if (!printJson(answer)) {
        out().print(render(answer.json(), zone()));
      }
      return ExitCodes.OK;
    }
  }

  static final class Replay extends Base {
    @Override
    public Integer call() {
      Api api = api();
      Http.Response answer = expectDlt(api, api.send("POST", REPLAY, null), "POST " + REPLAY);
      if (!printJson(answer)) {
        JsonNode replay = answer.json();
        long replayed = replay.path("replayed").asLong();
        out()
            .println(
                replayed == 0
                    ? "nothing to replay: every dead letter was replayed before"
                    : "replayed "
                        + replayed
                        + (replayed == 1 ? " dead letter" : " dead letters")
                        + " to clicks (offsets "
                        + replay.path("from").asLong()
                        + " to "
                        + (replay.path("to").asLong() - 1)
                        + ")");
      }
      return ExitCodes.OK;
    }
  }

  /** A 404 means a server from before the pipeline; a 403, an account that is not an admin. */
  static Http.Response expectDlt(Api api, Http.Response response, String call) {
    if (response.status() == 404) {
      throw Failure.refused(
          api.server()
              + " has no dead-letter API ("
              + call
              + " answered 404): it came with"
              + " the Kafka click pipeline; upgrade the server",
          response.body());
    }
    if (response.status() == 403) {
      throw Failure.refused(
          "only admins may use the dead-letter topic: the server's operator makes an"
              + " account admin with 'tinyscale admin grant EMAIL'",
          response.body());
    }
    return api.expectOk(response);
  }

  /** {@code {total, replayedUpTo, items: [{offset, key, value, headers, replayed}]}} for people. */
  static String render(JsonNode page, ZoneId zone) {
    long total = page.path("total").asLong();
    JsonNode items = page.path("items");
    if (total == 0 || items.isEmpty()) {
      return "no dead letters in clicks.dlt\n";
    }
    long waiting = 0;
    Table table = new Table("OFFSET", "CODE", "REPLAYED", "ATTEMPTS", "FIRST FAILURE", "ERROR");
    for (JsonNode item : items) {
      JsonNode headers = item.path("headers");
      boolean replayed = item.path("replayed").asBoolean();
      waiting += replayed ? 0 : 1;
      String errorClass = Json.text(headers, "x-error-class");
      String message = Json.text(headers, "x-error-message");
      String error =
          errorClass == null
              ? message
              : errorClass.substring(errorClass.lastIndexOf('.') + 1)
                  + (message == null ? "" : ": " + message);
      table.row(
          Json.text(item, "offset"),
          Json.text(item, "key"),
          replayed ? "yes" : "no",
          Json.text(headers, "x-attempts"),
          Times.show(Json.text(headers, "x-first-failure"), zone, "-"),
          error);
    }
    String summary =
        total
            + (total == 1 ? " dead letter" : " dead letters")
            + " in clicks.dlt"
            + (items.size() < total ? ", the last " + items.size() + " shown" : "")
            + (waiting == 0
                ? "; all shown were replayed"
                : "; " + waiting + " shown not replayed yet: tinyscale dlt replay");
    return table.render() + summary + "\n";
  }
}
