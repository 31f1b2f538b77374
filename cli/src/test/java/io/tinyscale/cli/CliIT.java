package io.tinyscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinyscale.cli.CliProcess.Run;
import io.tinyscale.testkit.Api.Res;
import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end: the packaged CLI ({@code java -jar cli/target/tinyscale-cli.jar}) as separate
 * processes against the server that {@code ./tinyscale up} starts, stopped with SIGTERM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("cli/target");
  private static final String FIREFOX =
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
  private static final String PASSWORD = "a long password for the CLI test\n";
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String admin = "admin-" + run + "@cli.test";
  private TinyscaleUp up;

  @BeforeAll
  void start() {
    up =
        new TinyscaleUp(
            WORK.resolve("e2e-home"),
            Map.of(
                "TINYSCALE_DB_NAME", "tinyscale_cli",
                "TINYSCALE_AUTH_RATE_LIMIT", "1000"));
  }

  @AfterAll
  void stop() {
    if (up != null) {
      List<ProcessHandle> survivors = up.stop();
      assertThat(survivors).as("processes that outlived SIGTERM").isEmpty();
    }
  }

  /** A CLI with a config directory of its own, registered as a new user. */
  private CliProcess registered(String name) {
    CliProcess cli = fresh(name);
    Run registered =
        cli.stdin(PASSWORD).run("register", "--email", email(name), "--password-stdin");
    assertThat(registered.exit()).as(registered.toString()).isZero();
    return cli;
  }

  private CliProcess fresh(String name) {
    return new CliProcess(up.url, WORK.resolve("e2e-config").resolve(run + "-" + name));
  }

  private String email(String name) {
    return name.equals("admin") ? admin : name + "-" + run + "@cli.test";
  }

  private static Path configFile(String runName) {
    return WORK.resolve("e2e-config").resolve(runName).resolve("tinyscale/config");
  }

  @Test
  void healthSaysReadyAsTextAndJson() {
    Run text = fresh("health").run("health");
    assertThat(text.exit()).as(text.toString()).isZero();
    assertThat(text.out())
        .startsWith(up.url + " is ready")
        .containsPattern("postgres +UP")
        .containsPattern("consumers +UP");
    Run json = fresh("health").run("health", "--json");
    assertThat(json.exit()).isZero();
    assertThat(json.json().get("status").asText()).isEqualTo("UP");
    assertThat(json.json().get("checks").findValuesAsText("name")).contains("postgres", "redis");
  }

  @Test
  void registerStoresTheKeyReadableByTheOwnerOnly() throws IOException {
    registered("keyfile");
    Path file = configFile(run + "-keyfile");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(file)).contains("server=" + up.url, "api-key=ts_");
    // the same email again: the server says no, in one sentence
    Run again =
        fresh("keyfile-again")
            .stdin(PASSWORD)
            .run("register", "--email", email("keyfile"), "--password-stdin");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err())
        .isEqualTo(
            "tinyscale: An account with that email exists: log in instead, or use another email\n");
  }

  @Test
  void shortenListStatsDelete() {
    CliProcess cli = registered("journey");

    Run shortened = cli.run("shorten", "https://example.com/journey");
    assertThat(shortened.exit()).as(shortened.toString()).isZero();
    String shortUrl = shortened.out().strip();
    assertThat(shortUrl).matches(java.util.regex.Pattern.quote(up.url) + "/[A-Za-z0-9]{7}");
    String code = shortUrl.substring(shortUrl.lastIndexOf('/') + 1);
    assertThat(up.api.get("/" + code).header("Location")).isEqualTo("https://example.com/journey");

    String alias = "cli-" + run;
    Run custom =
        cli.run(
            "shorten",
            "https://example.com/custom",
            "--alias",
            alias,
            "--expires",
            "7d",
            "--redirect-type",
            "301",
            "--json");
    assertThat(custom.exit()).as(custom.toString()).isZero();
    JsonNode link = custom.json();
    assertThat(link.get("code").asText()).isEqualTo(alias);
    assertThat(link.get("redirectType").asInt()).isEqualTo(301);
    assertThat(Duration.between(Instant.now(), Instant.parse(link.get("expiresAt").asText())))
        .isBetween(Duration.ofDays(7).minusMinutes(5), Duration.ofDays(7).plusMinutes(5));
    assertThat(up.status("/" + alias)).isEqualTo(301);

    Run taken = cli.run("shorten", "https://example.com/other", "--alias", alias);
    assertThat(taken.exit()).isEqualTo(1);
    assertThat(taken.err())
        .isEqualTo("tinyscale: That alias is already taken: choose another alias\n");

    Run links = cli.run("links");
    assertThat(links.exit()).as(links.toString()).isZero();
    assertThat(links.out())
        .contains("CODE", code, alias, "https://example.com/journey")
        .endsWith("page 1 of 1, 2 links\n");
    JsonNode page = cli.run("links", "--json").json();
    assertThat(page.get("total").asInt()).isEqualTo(2);
    assertThat(page.get("items").findValuesAsText("code")).containsExactly(alias, code);
    JsonNode second = cli.run("links", "--page", "2", "--size", "1", "--json").json();
    assertThat(second.get("page").asInt()).isEqualTo(1);
    assertThat(second.get("items").findValuesAsText("code")).containsExactly(code);

    Run stats = cli.run("stats", code);
    assertThat(stats.exit()).as(stats.toString()).isZero();
    assertThat(stats.out())
        .contains("code        " + code, "url         https://example.com/journey", "clicks");
    JsonNode statsJson = cli.run("stats", code, "--json").json();
    assertThat(statsJson.get("code").asText()).isEqualTo(code);
    assertThat(statsJson.get("totalClicks").asLong()).isNotNegative();

    Run deleted = cli.run("delete", code);
    assertThat(deleted.exit()).as(deleted.toString()).isZero();
    assertThat(deleted.out()).isEqualTo("deleted " + code + "\n");
    assertThat(up.status("/" + code)).isEqualTo(404);
    Run gone = cli.run("stats", code);
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).startsWith("tinyscale: No such short link");
    assertThat(cli.run("delete", code, "--json").json().get("type").asText())
        .isEqualTo("urn:tinyscale:problem:link-not-found");
  }

  @Test
  void analyticsAndLinksSortedBySearchedFor() {
    CliProcess cli = registered("analytics");
    String busy = "busy-" + run;
    String quiet = "quiet-" + run;
    assertThat(cli.run("shorten", "https://example.com/analytics/busy", "--alias", busy).exit())
        .isZero();
    assertThat(cli.run("shorten", "https://example.org/quiet/page", "--alias", quiet).exit())
        .isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(up.api.get("/" + busy, "User-Agent", FIREFOX).status()).isEqualTo(302);
    }
    // the clicks reach the hourly counts and OpenSearch a few seconds later
    Waits.until(
        "3 clicks of " + busy + " by browser",
        () -> cli.run("analytics", busy, "--by", "browsers").out().contains("Firefox  3 "),
        () -> cli.run("analytics", busy, "--by", "browsers").toString());

    Run histogram = cli.run("analytics", busy);
    assertThat(histogram.exit()).as(histogram.toString()).isZero();
    assertThat(histogram.out())
        .startsWith(busy + ": 3 clicks by people, ")
        .contains("per hour", "HOUR", "CLICKS");
    Run week = cli.run("analytics", busy, "--last", "7d", "--tz", "Asia/Tokyo", "--json");
    assertThat(week.json().get("interval").asText()).isEqualTo("day");
    assertThat(week.json().get("timeZone").asText()).isEqualTo("Asia/Tokyo");
    assertThat(week.json().get("buckets").findValuesAsText("count"))
        .hasSizeBetween(7, 8)
        .containsOnlyOnce("3");
    assertThat(cli.run("analytics", busy, "--by", "browsers").out())
        .contains("BROWSER", "Firefox  3       100.0 %");
    Run overview = cli.run("analytics");
    assertThat(overview.out())
        .startsWith("your 2 links: 3 clicks by people, 0 by bots, ")
        .containsPattern(busy + " +3 +https://example.com/analytics/busy");

    assertThat(cli.run("links", "--sort", "-clicks", "--json").json().findValuesAsText("code"))
        .containsExactly(busy, quiet);
    assertThat(cli.run("links", "--sort", "clicks", "--json").json().findValuesAsText("code"))
        .containsExactly(quiet, busy);
    assertThat(cli.run("links", "--sort", "-clicks").out())
        .containsPattern(busy + " +3 +302 ")
        .containsPattern(quiet + " +0 +302 ");
    Waits.until(
        "the link search finds " + quiet,
        () -> cli.run("links", "--search", "quiet").out().contains(quiet),
        () -> cli.run("links", "--search", "quiet").toString());
    assertThat(cli.run("links", "--search", "quiet", "--json").json().findValuesAsText("code"))
        .containsExactly(quiet);
    assertThat(cli.run("links", "--search", "nothing-like-this").out())
        .isEqualTo("no link matches 'nothing-like-this'\n");

    // the command line's mistakes are exit 2 before any request; the server's refusals exit 1
    assertThat(cli.run("analytics", "--by", "countries").exit()).isEqualTo(2);
    assertThat(cli.run("analytics", busy, "--by", "planets").exit()).isEqualTo(2);
    assertThat(cli.run("analytics", busy, "--last", "7d", "--from", "2026-01-01T00:00:00Z").exit())
        .isEqualTo(2);
    assertThat(cli.run("analytics", busy, "--last", "soon").exit()).isEqualTo(2);
    assertThat(cli.run("links", "--search", "x", "--sort", "clicks").exit()).isEqualTo(2);
    Run badSort = cli.run("links", "--sort", "size");
    assertThat(badSort.exit()).isEqualTo(1);
    assertThat(badSort.err()).startsWith("tinyscale: ").contains("sort");
    Run badZone = cli.run("analytics", busy, "--tz", "Mars/Olympus");
    assertThat(badZone.exit()).isEqualTo(1);
    assertThat(badZone.err()).contains("tz");
  }

  @Test
  void livePrintsEachClickAsItHappensAsTextOrJson() throws Exception {
    CliProcess cli = registered("live");
    String code = "live-" + run;
    assertThat(cli.run("shorten", "https://example.com/live", "--alias", code).exit()).isZero();
    try (CliProcess.Running live = cli.start("live", code);
        CliProcess.Running json = cli.start("live", "--json")) {
      assertThat(live.nextErr())
          .isEqualTo("live: waiting for clicks on /" + code + " (Ctrl-C stops)");
      assertThat(json.nextErr()).isEqualTo("live: waiting for clicks on your links (Ctrl-C stops)");
      assertThat(
              up.api
                  .get("/" + code, "User-Agent", FIREFOX, "Referer", "https://news.example.org/a")
                  .status())
          .isEqualTo(302);
      assertThat(live.nextOut())
          .matches(
              "\\d\\d:\\d\\d:\\d\\d  /"
                  + code
                  + "  --  Firefox on Linux  Desktop  from news.example.org");
      JsonNode click = Json.parse(json.nextOut());
      assertThat(click.get("code").asText()).isEqualTo(code);
      assertThat(click.get("browser").asText()).isEqualTo("Firefox");
      assertThat(click.get("bot").asBoolean()).isFalse();
    }
    Run unknown = cli.run("live", "no-such-" + run);
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("tinyscale: No such short link");
  }

  @Test
  void editChangesWhereALinkGoesHowAndWhetherItWorks() {
    CliProcess cli = registered("edit");
    String code = "edit-" + run;
    assertThat(cli.run("shorten", "https://example.com/before", "--alias", code).exit()).isZero();

    Run moved =
        cli.run("edit", code, "--url", "https://example.com/after", "--redirect-type", "301");
    assertThat(moved.exit()).as(moved.toString()).isZero();
    assertThat(moved.out())
        .contains("url        https://example.com/after", "redirect   301", "status     active");
    Res followed = up.api.get("/" + code);
    assertThat(followed.status()).isEqualTo(301);
    assertThat(followed.header("Location")).isEqualTo("https://example.com/after");

    JsonNode expiring = cli.run("edit", code, "--expires", "2h", "--json").json();
    assertThat(Duration.between(Instant.now(), Instant.parse(expiring.get("expiresAt").asText())))
        .isBetween(Duration.ofMinutes(115), Duration.ofMinutes(125));
    assertThat(
            cli.run("edit", code, "--expires", "never", "--json").json().get("expiresAt").isNull())
        .isTrue();

    assertThat(cli.run("edit", code, "--disable").out()).contains("status     disabled");
    assertThat(up.status("/" + code)).isEqualTo(410);
    assertThat(cli.run("edit", code, "--enable").exit()).isZero();
    assertThat(up.status("/" + code)).isEqualTo(301);

    assertThat(cli.run("edit", code).exit()).as("nothing to change").isEqualTo(2);
    assertThat(cli.run("edit", code, "--disable", "--enable").exit()).isEqualTo(2);
    Run refused = cli.run("edit", code, "--url", "ftp://example.com/x");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).startsWith("tinyscale: ").contains("url");
    assertThat(up.api.get("/" + code).header("Location")).isEqualTo("https://example.com/after");
  }

  @Test
  void qrSavesTheShortUrlAsAnImage() throws IOException {
    CliProcess cli = registered("qr");
    String code = "qr-" + run;
    assertThat(cli.run("shorten", "https://example.com/qr", "--alias", code).exit()).isZero();
    Path dir = Files.createDirectories(WORK.resolve("e2e-qr"));
    Path png = dir.resolve(code + ".png");
    Run saved = cli.run("qr", code, "--size", "300", "--output", png.toString());
    assertThat(saved.exit()).as(saved.toString()).isZero();
    assertThat(saved.out()).isEqualTo("wrote " + png + "\n");
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(300);
    assertThat(image.getHeight()).isEqualTo(300);
    Path svg = dir.resolve(code + ".svg");
    assertThat(
            cli.run("qr", code, "--format", "svg", "--output", svg.toString(), "--json")
                .json()
                .get("bytes")
                .asLong())
        .isEqualTo(Files.size(svg));
    assertThat(Files.readString(svg)).contains("<svg");

    assertThat(cli.run("qr", code, "--format", "gif").exit()).isEqualTo(2);
    Run tooSmall =
        cli.run("qr", code, "--size", "10", "--output", dir.resolve("small.png").toString());
    assertThat(tooSmall.exit()).isEqualTo(1);
    assertThat(tooSmall.err()).contains("size");
    assertThat(dir.resolve("small.png")).doesNotExist();
    assertThat(cli.run("qr", "no-such-" + run, "--output", dir.resolve("x.png").toString()).exit())
        .isEqualTo(1);
  }

  @Test
  void aBadUrlIsRefusedWithItsFieldError() {
    Run bad = registered("badurl").run("shorten", "ftp://example.com/file");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err())
        .startsWith("tinyscale: The request is not valid: url: ")
        .contains("http://")
        .endsWith("\n");
    assertThat(bad.err().lines()).hasSize(1);
  }

  @Test
  void aBadOrMissingApiKeyIsRefusedWithASentence() {
    CliProcess nobody = fresh("nokey");
    Run badFlag = nobody.run("links", "--api-key", "ts_not_a_real_key");
    assertThat(badFlag.exit()).isEqualTo(1);
    assertThat(badFlag.err())
        .isEqualTo(
            "tinyscale: the server refused the API key from --api-key (unknown or revoked):"
                + " run 'tinyscale login' for a new one, or pass a valid key with --api-key or TINYSCALE_API_KEY\n");
    Run badEnv =
        nobody
            .env("TINYSCALE_API_KEY", "ts_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            .run("shorten", "https://example.com");
    assertThat(badEnv.exit()).isEqualTo(1);
    assertThat(badEnv.err()).contains("refused the API key from TINYSCALE_API_KEY");
    Run none = nobody.run("links");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).startsWith("tinyscale: not logged in to " + up.url);
  }

  @Test
  void usageErrorsAreExitTwo() {
    CliProcess cli = fresh("usage");
    assertThat(cli.run().exit()).isEqualTo(2);
    Run unknown = cli.run("shortn", "https://example.com");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Did you mean", "tinyscale shorten");
    assertThat(cli.run("shorten").exit()).isEqualTo(2);
    assertThat(cli.run("links", "--page", "0").exit()).isEqualTo(2);
    assertThat(cli.run("shorten", "https://example.com", "--expires", "0d").exit()).isEqualTo(2);
    Run badServer = cli.run("health", "--server", "localhost:8080");
    assertThat(badServer.exit()).isEqualTo(2);
    assertThat(badServer.err()).contains("--server must be an http:// or https:// URL");
  }

  @Test
  void aServerThatIsDownIsExitThree() {
    int closed = Ports.free();
    CliProcess cli = fresh("down").env("TINYSCALE_URL", "http://127.0.0.1:" + closed);
    for (String[] args :
        List.of(
            new String[] {"health"},
            new String[] {"shorten", "https://example.com"},
            new String[] {"links", "--json"})) {
      Run run = cli.run(args);
      assertThat(run.exit()).as(run.toString()).isEqualTo(3);
      assertThat(run.out()).isEmpty();
      assertThat(run.err())
          .startsWith(
              "tinyscale: cannot reach http://127.0.0.1:" + closed + " (connection refused)");
    }
  }

  @Test
  void loginKeysAndLogout() {
    registered("keys");
    CliProcess cli = fresh("keys-laptop");
    Run wrong =
        cli.stdin("not the password").run("login", "--email", email("keys"), "--password-stdin");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err())
        .isEqualTo(
            "tinyscale: Email or password is wrong: check the email and password and try again\n");

    Run login =
        cli.stdin(PASSWORD)
            .run("login", "--email", email("keys"), "--password-stdin", "--key-name", "laptop");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.out()).contains("logged in to " + up.url + " as " + email("keys"), "'laptop'");

    Run keys = cli.run("keys");
    assertThat(keys.exit()).as(keys.toString()).isZero();
    assertThat(keys.out().lines().filter(l -> l.contains("(in use)")))
        .singleElement()
        .asString()
        .contains("laptop");
    assertThat(cli.run("keys", "--json").json().findValuesAsText("name"))
        .containsExactlyInAnyOrder("default", "laptop");

    Run created = cli.run("keys", "create", "ci");
    assertThat(created.exit()).as(created.toString()).isZero();
    String ciKey = created.out().strip();
    assertThat(ciKey).startsWith("ts_");
    assertThat(cli.run("links", "--api-key", ciKey).exit()).isZero();
    String ciId =
        cli.run("keys", "--json").json().findParents("name").stream()
            .filter(k -> k.get("name").asText().equals("ci"))
            .findFirst()
            .orElseThrow()
            .get("id")
            .asText();
    assertThat(cli.run("keys", "delete", ciId).exit()).isZero();
    assertThat(cli.run("links", "--api-key", ciKey).exit()).isEqualTo(1);

    Run logout = cli.run("logout");
    assertThat(logout.exit()).as(logout.toString()).isZero();
    assertThat(logout.out()).startsWith("revoked API key 'laptop' on " + up.url);
    assertThat(configFile(run + "-keys-laptop")).doesNotExist();
    assertThat(cli.run("links").err()).startsWith("tinyscale: not logged in");
    // the account's first key, stored by register, still works
    assertThat(fresh("keys").run("keys", "--json").json().findValuesAsText("name"))
        .containsExactly("default");
  }

  @Test
  void deadLettersForAdminsOnly() {
    Run notAdmin = registered("plain").run("dlt", "list");
    assertThat(notAdmin.exit()).isEqualTo(1);
    assertThat(notAdmin.err()).startsWith("tinyscale: only admins may use the dead-letter topic");

    CliProcess cli = registered("admin");
    assertThat(cli.run("dlt", "list").exit()).as("registering makes no admin").isEqualTo(1);
    TinyscaleUp.Command granted =
        up.tinyscale("admin", "grant", admin.toUpperCase(java.util.Locale.ROOT));
    assertThat(granted.exit()).as(granted.output()).isZero();
    assertThat(granted.output()).contains(admin + " is now an admin");
    assertThat(up.tinyscale("admin", "list").output()).contains(admin);
    Run list = cli.run("dlt", "list");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(cli.run("health").out())
        .as("an admin's key shows the details")
        .contains("topicPartitions");
    assertThat(registered("plain2").run("health").out())
        .as("anyone else's, the states")
        .doesNotContain("topicPartitions");
    assertThat(list.out()).containsAnyOf("no dead letters in clicks.dlt", "in clicks.dlt");
    assertThat(cli.run("dlt", "list", "--limit", "5", "--json").json().has("total")).isTrue();
    Run replay = cli.run("dlt", "replay", "--json");
    assertThat(replay.exit()).as(replay.toString()).isZero();
    assertThat(replay.json().get("replayed").asLong()).isNotNegative();
    Run badLimit = cli.run("dlt", "list", "--limit", "0");
    assertThat(badLimit.exit()).isEqualTo(1);
    assertThat(badLimit.err()).contains("limit: must be a whole number from 1 to 1000");

    TinyscaleUp.Command revoked = up.tinyscale("admin", "revoke", admin);
    assertThat(revoked.exit()).as(revoked.output()).isZero();
    assertThat(cli.run("dlt", "list").exit())
        .as("a revoke holds from the next request on")
        .isEqualTo(1);
    TinyscaleUp.Command unknown = up.tinyscale("admin", "grant", "nobody-" + admin);
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.output()).contains("no account nobody-" + admin, "registered first");
    assertThat(up.tinyscale("admin", "frobnicate").exit()).as("usage error").isEqualTo(2);
  }

  @Test
  void completionScriptForBashAndZsh() {
    Run bash = fresh("completion").run("completion", "bash");
    assertThat(bash.exit()).isZero();
    assertThat(bash.out()).contains("complete -F", "shorten", "--redirect-type", "bashcompinit");
  }

  @Test
  void theRootScriptPassesClientCommandsOn() throws IOException {
    CliProcess cli = registered("script");
    Files.deleteIfExists(WORK.resolve("tinyscale-cli.aot"));
    Run health = cli.script("health");
    assertThat(health.exit()).as(health.toString()).isZero();
    assertThat(health.out()).startsWith(up.url + " is ready");
    // --json output stays clean although the first run writes the AOT cache
    Run shortened = cli.script("--json", "shorten", "https://example.com/script");
    assertThat(shortened.exit()).as(shortened.toString()).isZero();
    assertThat(shortened.json().get("url").asText()).isEqualTo("https://example.com/script");
    Run unknown = cli.script("nosuchcommand");
    assertThat(unknown.exit()).isEqualTo(2);
  }
}
