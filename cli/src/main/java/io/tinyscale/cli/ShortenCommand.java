package io.tinyscale.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "shorten",
    mixinStandardHelpOptions = true,
    description = "Shorten a URL and print the short URL.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  tinyscale shorten https://example.com/a/long/path",
      "  tinyscale shorten https://example.com/sale --alias sale --expires 2w",
      "  tinyscale shorten https://example.com/x --expires 2030-01-31T12:00:00Z",
      "  tinyscale shorten https://example.com/moved --redirect-type 301",
      "  url=$(tinyscale shorten https://example.com/x --expires 12h)"
    })
final class ShortenCommand extends Base {
  @Parameters(paramLabel = "URL", description = "The http:// or https:// URL to shorten.")
  String url;

  @Option(names = "--alias", paramLabel = "ALIAS",
      description = "Your own code instead of a random one: 3 to 64 of A-Z a-z 0-9 _ -.")
  String alias;

  @Option(names = "--expires", paramLabel = "WHEN", converter = Expiry.class,
      description = "When the link stops working: a time from now (90s, 30m, 12h, 7d, 2w) or an"
          + " ISO-8601 instant (2030-01-31T12:00:00Z). Default: never.")
  String expires;

  @Option(names = "--redirect-type", paramLabel = "STATUS", completionCandidates = RedirectTypes.class,
      description = "The redirect's HTTP status: 301 or 308 (permanent, cached by browsers), 302"
          + " (the default) or 307.")
  Integer redirectType;

  @Override
  public Integer call() {
    ObjectNode body = Json.object().put("url", url);
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

  static final class RedirectTypes implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return List.of("301", "302", "307", "308").iterator();
    }
  }
}
