package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "List, create and revoke your API keys.",
      "One key per script or machine, each revocable on its own. Without a subcommand: list."
    },
    subcommands = {KeysCommand.ListKeys.class, KeysCommand.Create.class, KeysCommand.Delete.class},
    commandListHeading = "%nCommands:%n",
    footerHeading = "%nExamples:%n",
    footer = {
      "  tinyscale keys",
      "  TINYSCALE_API_KEY=$(tinyscale keys create ci-deploy)",
      "  tinyscale keys delete 12"
    })
final class KeysCommand extends Base {
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
      table.row(Json.text(key, "id"), Json.text(key, "name"), prefix,
          Times.show(Json.text(key, "createdAt"), command.zone(), "-"), inUse ? "(in use)" : "");
    }
    command.out().print(table.render());
    return ExitCodes.OK;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List your API keys: names and prefixes only.",
      footerHeading = "%nExamples:%n", footer = {"  tinyscale keys list", "  tinyscale keys list --json"})
  static final class ListKeys extends Base {
    @Override
    public Integer call() {
      return list(this);
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an API key and print it.",
        "It is shown only this once and is not stored here: keep it, e.g. in your CI's secrets"
            + " as TINYSCALE_API_KEY."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  tinyscale keys create ci-deploy", "  tinyscale keys create laptop --json"})
  static final class Create extends Base {
    @Parameters(paramLabel = "NAME", description = "What the key is for, e.g. ci-deploy (1 to 100 characters).")
    String name;

    @Override
    public Integer call() {
      Http.Response created = api().call("POST", "/api/keys", Json.object().put("name", name));
      if (!printJson(created)) {
        out().println(Json.text(created.json(), "apiKey"));
        err().println("tinyscale: API key " + Json.text(created.json(), "id") + " '" + Json.text(created.json(), "name")
            + "' created; it is shown only this once");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Revoke an API key: it stops working at once, on every server replica.",
      footerHeading = "%nExamples:%n", footer = {"  tinyscale keys            # find its id", "  tinyscale keys delete 12"})
  static final class Delete extends Base {
    @Parameters(paramLabel = "ID", description = "The key's id, as 'tinyscale keys' lists it.")
    String id;

    @Override
    public Integer call() {
      api().call("DELETE", "/api/keys/" + Http.segment(id), null);
      out().println(json() ? Json.write(Json.object().put("id", id).put("deleted", true)) : "revoked API key " + id);
      return ExitCodes.OK;
    }
  }
}
