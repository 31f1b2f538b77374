package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tinyscale edit CODE}: a link's target, expiry, redirect type or state, changed in place.
 */
final class EditCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "edit",
            new EditCommand(),
            new String[] {
              "Change one of your links: where it goes, when it expires, how it redirects, or"
                  + " whether it works.",
              "Only what is given changes; the short URL stays the same. A disabled link answers"
                  + " 410 until it is enabled again."
            },
            "tinyscale edit hello --url https://example.com/new/path",
            "tinyscale edit hello --expires 30d",
            "tinyscale edit hello --expires never --redirect-type 301",
            "tinyscale edit hello --disable");
    spec.addPositional(Specs.parameter("CODE", "The link's code."));
    spec.addOption(
        Specs.option("--url", "URL", String.class, "The http:// or https:// URL to send to.")
            .build());
    spec.addOption(
        Specs.expires("A time from now (90s, 30m, 12h, 7d, 2w), an ISO-8601 instant, or never."));
    spec.addOption(Specs.redirectType("301 or 308 (permanent, cached by browsers), 302 or 307."));
    spec.addOption(Specs.flag("--disable", "Stop the link working (410) without deleting it."));
    spec.addOption(Specs.flag("--enable", "Make a disabled link work again."));
    return spec;
  }

  @Override
  public Integer call() {
    String code = parameter(0);
    String url = option("--url");
    String expires = option("--expires");
    Integer redirectType = option("--redirect-type");
    if (flag("--disable") && flag("--enable")) {
      throw usage("--disable and --enable contradict each other: give one");
    }
    ObjectNode change = Json.object();
    if (url != null) {
      change.put("url", url);
    }
    if (expires != null) {
      if (expires.equalsIgnoreCase("never")) {
        change.putNull("expiresAt");
      } else {
        change.put("expiresAt", expires);
      }
    }
    if (redirectType != null) {
      change.put("redirectType", redirectType);
    }
    if (flag("--disable") || flag("--enable")) {
      change.put("disabled", flag("--disable"));
    }
    if (change.isEmpty()) {
      throw usage(
          "nothing to change: give --url, --expires, --redirect-type, --disable or --enable");
    }
    Http.Response changed = api().call("PATCH", "/api/links/" + Http.segment(code), change);
    if (!printJson(changed)) {
      out().print(render(changed.json(), zone()));
    }
    return ExitCodes.OK;
  }

  static String render(JsonNode link, ZoneId zone) {
    return Table.pairs(
        List.of(
            new String[] {"code", Json.text(link, "code")},
            new String[] {"short url", Json.text(link, "shortUrl")},
            new String[] {"url", Json.text(link, "url")},
            new String[] {"redirect", Json.text(link, "redirectType")},
            new String[] {"expires", Times.show(Json.text(link, "expiresAt"), zone, "never")},
            // active, expired or disabled, as the server judges it
            new String[] {"status", Json.text(link, "status")}));
  }
}
