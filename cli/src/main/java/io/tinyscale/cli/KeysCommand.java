package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;

final class KeysCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "keys",
            new KeysCommand(),
            new String[] {
              "List, create and revoke your API keys.",
              "One key per script or machine, each revocable on its own. Without a subcommand: list."
            },
            "tinyscale keys",
            "TINYSCALE_API_KEY=$(tinyscale keys create ci-deploy)",
            "tinyscale keys delete 12");
    spec.usageMessage().commandListHeading("%nCommands:%n");
    spec.addSubcommand(
        "list",
        Specs.command(
            "list",
            new ListKeys(),
            new String[] {"List your API keys: names and prefixes only."},
            "tinyscale keys list",
            "tinyscale keys list --json"));
    CommandSpec create =
        Specs.command(
            "create",
            new Create(),
            new String[] {
              "Create an API key and print it.",
              "It is shown only this once and is not stored here: keep it, e.g. in your CI's secrets"
                  + " as TINYSCALE_API_KEY."
            },
            "tinyscale keys create ci-deploy",
            "tinyscale keys create laptop --json");
    create.addPositional(
        Specs.parameter("NAME", "What the key is for, e.g. ci-deploy (1 to 100 characters)."));
    spec.addSubcommand("create", create);
    CommandSpec delete =
        Specs.command(
            "delete",
            new Delete(),
            new String[] {"Revoke an API key: it stops working at once, on every server replica."},
            "tinyscale keys            # find its id",
            "tinyscale keys delete 12");
    delete.addPositional(Specs.parameter("ID", "The key's id, as 'tinyscale keys' lists it."));
    spec.addSubcommand("delete", delete);
    return spec;
  }

  @Override
  public Integer call() {
    return list(this);
  }

  static int list(Base command) {
    Api api = command.api();
    Http.Response answer = api.call("GET", "/api/keys", null);
    if (command.printJson(answer)) {
      return ExitCodes.OK;
    }
    Table table = new Table("ID", "NAME", "PREFIX", "CREATED", "");
    for (JsonNode key : answer.json()) {
      String prefix = Json.text(key, "prefix");
      boolean inUse = prefix != null && api.apiKey() != null && api.apiKey().startsWith(prefix);
      table.row(
          Json.text(key, "id"),
          Json.text(key, "name"),
          prefix,
          Times.show(Json.text(key, "createdAt"), command.zone(), "-"),
          inUse ? "(in use)" : "");
    }
    command.out().print(table.render());
    return ExitCodes.OK;
  }

  static final class ListKeys extends Base {
    @Override
    public Integer call() {
      return list(this);
    }
  }

  static final class Create extends Base {
    @Override
    public Integer call() {
      Http.Response created =
          api().call("POST", "/api/keys", Json.object().put("name", this.<String>parameter(0)));
      if (!printJson(created)) {
        out().println(Json.text(created.json(), "apiKey"));
        err()
            .println(
                "tinyscale: API key "
                    + Json.text(created.json(), "id")
                    + " '"
                    + Json.text(created.json(), "name")
                    + "' created; it is shown only this once");
      }
      return ExitCodes.OK;
    }
  }

  static final class Delete extends Base {
    @Override
    public Integer call() {
      String id = parameter(0);
      api().call("DELETE", "/api/keys/" + Http.segment(id), null);
      out()
          .println(
              json()
                  ? Json.write(Json.object().put("id", id).put("deleted", true))
                  : "revoked API key " + id);
      return ExitCodes.OK;
    }
  }
}
