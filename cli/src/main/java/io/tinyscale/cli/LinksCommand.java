package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class LinksCommand extends Base {
  static CommandSpec spec() {
    CommandSpec spec =
        Specs.command(
            "links",
            new LinksCommand(),
            new String[] {
              "List your links, newest first, one page at a time.",
              "--sort orders them by creation, clicks or code; --search finds links by words of"
                  + " their URL or by code, best match first."
            },
            "tinyscale links",
            "tinyscale links --page 2 --size 50",
            "tinyscale links --sort -clicks --size 10",
            "tinyscale links --search 'example.com sale'",
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
    spec.addOption(
        Specs.option(
                "--sort",
                "ORDER",
                String.class,
                "createdAt, clicks or code; a leading - for descending. Default: -createdAt"
                    + " (newest first).")
            .completionCandidates(
                List.of("-createdAt", "createdAt", "-clicks", "clicks", "code", "-code"))
            .build());
    spec.addOption(
        Specs.option(
                "--search",
                "WORDS",
                String.class,
                "Only links whose URL or code matches these words (the last may be unfinished).")
            .build());
    return spec;
  }

  @Override
  public Integer call() {
    int page = option("--page");
    int size = option("--size");
    String sort = option("--sort");
    String search = option("--search");
    if (page < 1) {
      throw usage("--page starts at 1, not " + page);
    }
    if (search != null && sort != null) {
      throw usage("--search lists the best matches first: it takes no --sort");
    }
    if (search != null && search.isBlank()) {
      throw usage("--search needs a word to look for");
    }
    // the API counts pages from 0; the order (or the search's words) is the server's to judge
    String pageFrom0 = String.valueOf(page - 1);
    Http.Response answer =
        api()
            .call(
                "GET",
                search == null
                    ? Http.query(
                        "/api/links", "page", pageFrom0, "size", String.valueOf(size), "sort", sort)
                    : Http.query(
                        "/api/search",
                        "q",
                        search,
                        "page",
                        pageFrom0,
                        "size",
                        String.valueOf(size)),
                null);
    if (printJson(answer)) {
      return ExitCodes.OK;
    }
    JsonNode list = answer.json();
    long total = list.path("total").asLong();
    Table table = new Table("CODE", "CLICKS", "REDIRECT", "CREATED", "EXPIRES", "URL");
    for (JsonNode link : list.path("items")) {
      table.row(
          Json.text(link, "code"),
          Json.text(link, "clicks"),
          link.path("disabled").asBoolean() ? "disabled" : Json.text(link, "redirectType"),
          Times.show(Json.text(link, "createdAt"), zone(), "-"),
          Times.show(Json.text(link, "expiresAt"), zone(), "never"),
          Json.text(link, "url"));
    }
    if (table.size() > 0) {
      out().print(table.render());
    }
    out()
        .println(
            search != null && total == 0
                ? "no link matches '" + search.strip() + "'"
                : footer(page, size, table.size(), total));
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
