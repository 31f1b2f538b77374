package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

final class LogoutCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "logout",
            new LogoutCommand(),
            new String[] {
              "Revoke the stored API key and forget it.",
              "The key is revoked on the server it belongs to, then removed from the config file.",
              "With --local the key is only forgotten here and keeps working until revoked."
            },
            "tinyscale logout",
            "tinyscale logout --local");
    spec.addOption(
        Specs.flag("--local", "Forget the key without revoking it (e.g. the server is gone)."));
    return spec;
  }

  @Override
  public Integer call() {
    Config config = root().config();
    Optional<Config.Login> stored = config.load();
    if (stored.isEmpty()) {
      say("not logged in: " + config.file() + " holds no API key", "loggedOut", false);
      return ExitCodes.OK;
    }
    Config.Login login = stored.get();
    String revoked = null;
    if (!flag("--local")) {
      Api api =
          new Api(
              root().http(URI.create(login.server())), login.apiKey(), config.file().toString());
      try {
        revoked = revoke(api, login.apiKey());
      } catch (Failure f) {
        throw f.exitCode() == ExitCodes.UNREACHABLE
            ? Failure.unreachable(
                f.getMessage()
                    + "; the key is still stored: try again, or forget it"
                    + " without revoking it with 'tinyscale logout --local'",
                f)
            : f;
      }
    }
    config.delete();
    say(
        (revoked == null
                ? "forgot the API key for " + login.server()
                : "revoked API key '" + revoked + "' on " + login.server())
            + " and removed it from "
            + config.file(),
        "loggedOut",
        true);
    return ExitCodes.OK;
  }

  /** The revoked key's name, or null when the server no longer knows the key. */
  private static String revoke(Api api, String apiKey) {
    Http.Response keys = api.send("GET", "/api/keys", null);
    if (keys.status() == 401) {
      return null; // revoked already, or its account is gone
    }
    api.expectOk(keys);
    for (JsonNode key : keys.json()) {
      String prefix = Json.text(key, "prefix");
      if (prefix != null && !prefix.isEmpty() && apiKey.startsWith(prefix)) {
        api.call("DELETE", "/api/keys/" + Http.segment(Json.text(key, "id")), null);
        return Json.text(key, "name");
      }
    }
    return null;
  }

  private void say(String line, String field, boolean value) {
    out().println(json() ? Json.write(Json.object().put(field, value)) : line);
  }
}
