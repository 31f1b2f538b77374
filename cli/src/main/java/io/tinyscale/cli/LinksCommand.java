package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;

final class LinksCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "links",
            new LinksCommand(),
            new String[] {"List your links, newest first, one page at a time."},
            "tinyscale links",
            "tinyscale links --page 2 --size 50",
            "tinyscale links --size 100 --json | jq -r '.items[].shortUrl'");
    spec.addOption(
        Specs.option(
                "--page",
                "N",
                int.class,
                "The page, from 1 (the newest links). Default: ${DEFAULT-VALUE}.")
            .defaultValue("1")
            .build());
    spec.addOption(
        Specs.option(
                "--size", "N", int.class, "Links per page, 1 to 100. Default: ${DEFAULT-VALUE}.")
            .defaultValue("20")
            .build());
    return spec;
  }

  @Override
  public Integer call() {
    int page = option("--page");
    int size = option("--size");
    if (page < 1) {
      throw usage("--page starts at 1, not " + page);
    }
    // the API counts pages from 0
    Http.Response answer =
        api().call("GET", "/api/links?page=" + (page - 1) + "&size=" + size, null);
    if (printJson(answer)) {
      return ExitCodes.OK;
    }
    JsonNode list = answer.json();
    long total = list.path("total").asLong();
    Table table = new Table("CODE", "REDIRECT", "CREATED", "EXPIRES", "URL");
    for (JsonNode link : list.path("items")) {
      table.row(
          Json.text(link, "code"),
          link.path("disabled").asBoolean() ? "disabled" : Json.text(link, "redirectType"),
          Times.show(Json.text(link, "createdAt"), zone(), "-"),
          Times.show(Json.text(link, "expiresAt"), zone(), "never"),
          Json.text(link, "url"));
    }
    if (table.size() > 0) {
      out().print(table.render());
    }
    out().println(footer(page, size, table.size(), total));
    return ExitCodes.OK;
  }

  static String footer(int page, int size, int shown, long total) {
    if (total == 0) {
      return "no links yet: create one with 'tinyscale shorten <url>'";
    }
    long pages = (total + size - 1) / size;
    if (shown == 0) {
      return "page "
          + page
          + " is past the end: "
          + total
          + (total == 1 ? " link" : " links")
          + " on "
          + pages
          + (pages == 1 ? " page" : " pages");
    }
    String line =
        "page " + page + " of " + pages + ", " + total + (total == 1 ? " link" : " links");
    return page < pages ? line + " (next: --page " + (page + 1) + ")" : line;
  }
}
