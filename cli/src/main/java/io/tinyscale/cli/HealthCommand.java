package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class HealthCommand extends Base {
  static CommandSpec spec() {
    return Specs.command(
        "health",
        new HealthCommand(),
        new String[] {
          "Check that the server is ready to serve.",
          "Asks GET /health/ready (no API key needed) and exits 0 when the server is ready, 1 when"
              + " it is not (naming each dependency that is down), 3 when it does not answer.",
          "With an admin's API key it shows each dependency's details too (errors, spool bytes,"
              + " failing consumers: GET /api/admin/health); anyone else sees each one's state."
        },
        "tinyscale health",
        "until tinyscale health >/dev/null 2>&1; do sleep 1; done  # wait for it",
        "tinyscale health --server https://sho.rt --json");
  }

  @Override
  public Integer call() {
    Api api = api();
    Http.Response answer = null;
    if (api.apiKey() != null) {
      Http.Response detailed = api.send("GET", "/api/admin/health", null);
      answer = detailed.status() == 200 ? detailed : null; // not an admin (or an older server)
    }
    if (answer == null) {
      answer = api.sendAnonymous("GET", "/health/ready", null);
    }
    JsonNode health = answer.json();
    String status = Json.text(health, "status");
    if (status == null) {
      throw Failure.refused(
          api.server()
              + " did not answer like a TinyScale server: GET /health/ready gave "
              + answer.status()
              + " "
              + Problems.reason(answer.status()),
          answer.body());
    }
    boolean printed = printJson(answer);
    if (!printed) {
      out().print(render(api.server(), health));
    }
    if (!"UP".equals(status)) {
      List<String> down = new ArrayList<>();
      for (JsonNode check : health.path("checks")) {
        if (!"UP".equals(Json.text(check, "status"))) {
          String error = Json.text(check.path("data"), "error");
          down.add(
              Json.text(check, "name")
                  + " is "
                  + Json.text(check, "status")
                  + (error == null ? "" : " (" + error + ")"));
        }
      }
      throw Failure.refused(
          api.server()
              + " is not ready: "
              + (down.isEmpty() ? "it says " + status : String.join(", ", down)),
          null);
    }
    return ExitCodes.OK;
  }

  static String render(String server, JsonNode health) {
    boolean up = "UP".equals(Json.text(health, "status"));
    StringBuilder out = new StringBuilder(server).append(up ? " is ready\n" : " is NOT ready\n");
    List<String[]> checks = new ArrayList<>();
    for (JsonNode check : health.path("checks")) {
      // "degraded" first, then the error, then whatever else the check reports (e.g. spoolBytes)
      List<String> notes = new ArrayList<>();
      JsonNode data = check.path("data");
      if (data.path("degraded").asBoolean()) {
        notes.add("degraded");
      }
      if (data.hasNonNull("error")) {
        notes.add(Json.text(data, "error"));
      }
      data.fieldNames()
          .forEachRemaining(
              field -> {
                if (!field.equals("degraded") && !field.equals("error")) {
                  notes.add(field + ": " + Json.text(data, field));
                }
              });
      checks.add(
          new String[] {
            "  " + Json.text(check, "name"),
            Json.text(check, "status")
                + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")")
          });
    }
    out.append(Table.pairs(checks));
    return out.toString();
  }
}
