package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;

final class RegisterCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "register",
            new RegisterCommand(),
            new String[] {
              "Create an account and store its API key for this client.",
              "The key goes to $${XDG_CONFIG_HOME:-~/.config}/tinyscale/config (mode 0600) and"
                  + " is sent only to this server. The password needs 10 or more characters."
            },
            "tinyscale register                          # asks for email and password",
            "tinyscale register --email me@example.com",
            "printf %%s \"$PASSWORD\" |",
            "  tinyscale register --email ci@example.com --password-stdin");
    Credentials.addTo(spec);
    return spec;
  }

  @Override
  public Integer call() {
    Api api = api();
    Credentials.Entered entered = Credentials.read(this, root().env(), true);
    Http.Response registered =
        api.expectOk(api.sendAnonymous("POST", "/api/auth/register", entered.body()));
    JsonNode account = registered.json();
    Config config = root().config();
    config.save(
        new Config.Login(api.server(), Json.text(account, "apiKey"), Json.text(account, "email")));
    if (!printJson(registered)) {
      out()
          .println(
              "registered "
                  + Json.text(account, "email")
                  + " on "
                  + api.server()
                  + "; its API key is stored in "
                  + config.file());
    }
    return ExitCodes.OK;
  }
}
