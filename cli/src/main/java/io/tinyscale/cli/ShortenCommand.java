package io.tinyscale.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Model.CommandSpec;

final class ShortenCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "shorten",
            new ShortenCommand(),
            new String[] {"Shorten a URL and print the short URL."},
            "tinyscale shorten https://example.com/a/long/path",
            "tinyscale shorten https://example.com/sale --alias sale --expires 2w",
            "tinyscale shorten https://example.com/x --expires 2030-01-31T12:00:00Z",
            "tinyscale shorten https://example.com/moved --redirect-type 301",
            "url=$(tinyscale shorten https://example.com/x --expires 12h)");
    spec.addPositional(Specs.parameter("URL", "The http:// or https:// URL to shorten."));
    spec.addOption(
        Specs.option(
                "--alias",
                "ALIAS",
                String.class,
                "Your own code instead of a random one: 3 to 64 of A-Z a-z 0-9 _ -.")
            .build());
    spec.addOption(
        Specs.expires(
            "When the link stops working: a time from now (90s, 30m, 12h, 7d, 2w) or an ISO-8601 instant"
                + " (2030-01-31T12:00:00Z). Default: never."));
    spec.addOption(
        Specs.redirectType(
            "The redirect's HTTP status: 301 or 308 (permanent, cached by browsers), 302 (the default) or 307."));
    return spec;
  }

  @Override
  public Integer call() {
    ObjectNode body = Json.object().put("url", this.<String>parameter(0));
    String alias = option("--alias");
    String expires = option("--expires");
    Integer redirectType = option("--redirect-type");
    if (alias != null) {
      body.put("alias", alias);
    }
    if (expires != null) {
      body.put("expiresAt", expires);
    }
    if (redirectType != null) {
      body.put("redirectType", redirectType);
    }
    Http.Response created = api().call("POST", "/api/shorten", body);
    if (!printJson(created)) {
      out().println(Json.text(created.json(), "shortUrl"));
    }
    return ExitCodes.OK;
  }
}
