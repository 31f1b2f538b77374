package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

final class LoginCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "login",
            new LoginCommand(),
            new String[] {
              "Log in and store a new API key for this machine.",
              "The key goes to $${XDG_CONFIG_HOME:-~/.config}/tinyscale/config (mode 0600) and"
                  + " is sent only to this server.",
              "The password is checked with POST /api/auth/login; the key is created with the session"
                  + " (POST /api/keys), which is then ended. An earlier key of the same name (this host's"
                  + " from an earlier login) is revoked: logging in again replaces it. Revoke others with"
                  + " 'tinyscale keys'."
            },
            "tinyscale login",
            "tinyscale login --server https://sho.rt --email me@example.com",
            "printf %%s \"$PASSWORD\" |",
            "  tinyscale login --email ci@example.com --password-stdin --key-name ci");
    Credentials.addTo(spec);
    spec.addOption(
        Specs.option(
                "--key-name",
                "NAME",
                String.class,
                "The new API key's name (default: 'tinyscale CLI on <this host>').")
            .build());
    return spec;
  }

  static final String SESSION_COOKIE = "tinyscale_session";

  @Override
  public Integer call() {
    Api api = api();
    Credentials.Entered entered = Credentials.read(this, root().env(), false);
    Http.Response login =
        api.expectOk(api.sendAnonymous("POST", "/api/auth/login", entered.body()));
    String cookie = sessionCookie(login);
    if (cookie == null) {
      throw Failure.refused(
          api.server() + " accepted the password but set no session cookie", login.body());
    }
    String keyName = option("--key-name");
    String name = keyName != null ? keyName : "tinyscale CLI on " + hostName();
    Http.Response created;
    String session = SESSION_COOKIE + "=" + cookie;
    try {
      // a login replaces this host's earlier key instead of adding one more (an account holds a
      // limited number of keys)
      for (JsonNode earlier :
          api.expectOk(api.sendAnonymous("GET", "/api/keys", null, "Cookie", session)).json()) {
        if (name.equals(Json.text(earlier, "name"))) {
          api.expectOk(
              api.sendAnonymous(
                  "DELETE", "/api/keys/" + earlier.get("id").asLong(), null, "Cookie", session));
        }
      }
      created =
          api.expectOk(
              api.sendAnonymous(
                  "POST", "/api/keys", Json.object().put("name", name), "Cookie", session));
    } finally {
      // the key is what stays; the session is not needed any more
      api.sendAnonymous("POST", "/api/auth/logout", null, "Cookie", SESSION_COOKIE + "=" + cookie);
    }
    JsonNode key = created.json();
    String email = Json.text(login.json(), "email");
    Config config = root().config();
    config.save(new Config.Login(api.server(), Json.text(key, "apiKey"), email));
    if (!printJson(created)) {
      out()
          .println(
              "logged in to "
                  + api.server()
                  + " as "
                  + email
                  + "; API key '"
                  + Json.text(key, "name")
                  + "' is stored in "
                  + config.file());
    }
    return ExitCodes.OK;
  }

  static String sessionCookie(Http.Response response) {
    for (String header : response.headers("Set-Cookie")) {
      if (header.startsWith(SESSION_COOKIE + "=")) {
        int end = header.indexOf(';');
        String value =
            header.substring(SESSION_COOKIE.length() + 1, end < 0 ? header.length() : end);
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  /** The machine's name without a DNS lookup when the system knows it. */
  static String hostName() {
    try {
      String name = Files.readString(Path.of("/etc/hostname")).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable: ask the resolver
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "an unnamed host";
    }
  }
}
