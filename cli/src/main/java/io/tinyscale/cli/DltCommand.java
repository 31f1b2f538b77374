package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;

@Command(
    name = "dlt",
    mixinStandardHelpOptions = true,
    description = {
      "List or replay click events that failed (admins only).",
      "The click pipeline's dead-letter topic, clicks.dlt, holds events that failed after"
          + " retries. Admins are the accounts in the server's TINYSCALE_ADMIN_EMAILS.",
      "Calls GET /api/admin/dlt and POST /api/admin/dlt/replay; a server without the Kafka"
          + " pipeline answers 404, which this command says plainly."
    },
    subcommands = {DltCommand.ListEvents.class, DltCommand.Replay.class},
    commandListHeading = "%nCommands:%n",
    footerHeading = "%nExamples:%n",
    footer = {"  tinyscale dlt list", "  tinyscale dlt replay --json"})
final class DltCommand extends Base {
  static final String LIST = "/api/admin/dlt";
  static final String REPLAY = "/api/admin/dlt/replay";

  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return ExitCodes.USAGE;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the events in the dead-letter topic.")
  static final class ListEvents extends Base {
    @Override
    public Integer call() {
      Api api = api();
      Http.Response answer = expectDlt(api, api.send("GET", LIST, null), "GET " + LIST);
      if (printJson(answer)) {
        return ExitCodes.OK;
      }
      JsonNode body = answer.json();
      JsonNode items = body.isArray() ? body : body.path("items");
      if (items.isArray()) {
        out().print(items.isEmpty() ? "the dead-letter topic is empty\n" : table(items));
      } else {
        out().print(pairs(body));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Send the dead-lettered events back to the clicks topic; the server says how many.")
  static final class Replay extends Base {
    @Override
    public Integer call() {
      Api api = api();
      Http.Response answer = expectDlt(api, api.send("POST", REPLAY, Json.object()), "POST " + REPLAY);
      if (!printJson(answer)) {
        JsonNode body = answer.json();
        out().print(body.isObject() && !body.isEmpty() ? pairs(body) : "replay requested (" + answer.status() + ")\n");
      }
      return ExitCodes.OK;
    }
  }

  /** A 404 here means the server predates the pipeline, not a missing resource. */
  static Http.Response expectDlt(Api api, Http.Response response, String call) {
    if (response.status() == 404) {
      throw Failure.refused(api.server() + " has no dead-letter API yet (" + call + " answered 404):"
          + " it comes with the Kafka click pipeline; upgrade the server", response.body());
    }
    if (response.status() == 403) {
      throw Failure.refused("only admins may use the dead-letter topic: the server must list your account's"
          + " email in TINYSCALE_ADMIN_EMAILS", response.body());
    }
    return api.expectOk(response);
  }

  /** A table of whatever fields the events have (the contract is the server's to set). */
  static String table(JsonNode items) {
    Set<String> columns = new LinkedHashSet<>();
    items.forEach(item -> item.fieldNames().forEachRemaining(columns::add));
    if (columns.isEmpty()) {
      StringBuilder out = new StringBuilder();
      items.forEach(item -> out.append(item.isValueNode() ? item.asText() : Json.write(item)).append('\n'));
      return out.toString();
    }
    Table table = new Table(columns.stream().map(DltCommand::header).toArray(String[]::new));
    for (JsonNode item : items) {
      table.row(columns.stream().map(c -> Json.text(item, c)).toArray(String[]::new));
    }
    return table.render();
  }

  static String pairs(JsonNode object) {
    List<String[]> lines = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      String field = it.next().getKey();
      lines.add(new String[] {field, Json.text(object, field)});
    }
    return Table.pairs(lines);
  }

  /** {@code eventId} → {@code EVENT ID}. */
  static String header(String field) {
    return field.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
  }
}
