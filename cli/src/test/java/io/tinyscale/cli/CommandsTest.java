package io.tinyscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Each command against a stand-in server: requests sent, output, exit codes, error sentences. */
class CommandsTest {
  private static final String LINK =
      """
      {"code":"hi","shortUrl":"http://sho.rt/hi","url":"https://example.com/a","createdAt":"2026-11-20T09:30:00Z",\
      "expiresAt":null,"redirectType":302,"disabled":false}""";
  private static final String BAD_URL =
      """
      {"type":"urn:tinyscale:problem:validation","title":"The request is not valid","status":400,\
      "detail":"url: only http:// and https:// URLs can be shortened, not 'ftp:'",\
      "errors":[{"field":"url","message":"only http:// and https:// URLs can be shortened, not 'ftp:'"}]}""";
  private static final String UNAUTHORIZED =
      """
      {"type":"urn:tinyscale:problem:unauthorized","title":"Authentication required","status":401}""";

  private final FakeServer server = new FakeServer();
  @TempDir Path config;

  @AfterEach
  void stop() {
    server.close();
  }

  private InProcess cli() {
    return new InProcess()
        .env("TINYSCALE_URL", server.url())
        .env("TINYSCALE_API_KEY", "ts_key")
        .env("XDG_CONFIG_HOME", config.toString());
  }

  @Test
  void shortenSendsTheOptionsAndPrintsTheShortUrl() throws IOException {
    server.answer("POST /api/shorten", 201, LINK);
    InProcess.Result result =
        cli()
            .run(
                "shorten",
                "https://example.com/a",
                "--alias",
                "hi",
                "--redirect-type",
                "301",
                "--expires",
                "2030-01-31T12:00:00Z");
    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo("http://sho.rt/hi\n");
    assertThat(server.last().authorization()).isEqualTo("Bearer ts_key");
    assertThat(new ObjectMapper().readTree(server.last().body()))
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "{\"url\":\"https://example.com/a\",\"alias\":\"hi\",\"expiresAt\":\"2030-01-31T12:00:00Z\",\"redirectType\":301}"));
  }

  @Test
  void jsonPrintsTheServersAnswerAsItCame() throws IOException {
    server.answer("POST /api/shorten", 201, LINK);
    InProcess.Result result = cli().run("--json", "shorten", "https://example.com/a");
    assertThat(new ObjectMapper().readTree(result.out()).get("code").asText()).isEqualTo("hi");
  }

  @Test
  void aRefusalIsExitOneWithTheFieldErrorAndUnderJsonTheProblemOnStdout() throws IOException {
    server.answer("POST /api/shorten", 400, BAD_URL);
    InProcess.Result text = cli().run("shorten", "ftp://example.com");
    assertThat(text.exit()).isEqualTo(1);
    assertThat(text.out()).isEmpty();
    assertThat(text.err())
        .isEqualTo(
            "tinyscale: The request is not valid: url: only http:// and https:// URLs can be shortened, not 'ftp:'\n");
    InProcess.Result json = cli().run("shorten", "ftp://example.com", "--json");
    assertThat(json.exit()).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(json.out()).get("type").asText())
        .isEqualTo("urn:tinyscale:problem:validation");
  }

  @Test
  void aRefusedKeyIsNamedWithWhereItCameFrom() {
    server.answer("GET /api/links?page=0&size=20", 401, UNAUTHORIZED);
    InProcess.Result fromFlag = cli().run("links", "--api-key", "ts_flag");
    assertThat(fromFlag.exit()).isEqualTo(1);
    assertThat(server.last().authorization()).isEqualTo("Bearer ts_flag");
    assertThat(fromFlag.err())
        .contains("refused the API key from --api-key")
        .contains("tinyscale login");
    InProcess.Result fromEnv = cli().run("links");
    assertThat(fromEnv.err()).contains("refused the API key from TINYSCALE_API_KEY");
    InProcess.Result none =
        new InProcess()
            .env("TINYSCALE_URL", server.url())
            .env("XDG_CONFIG_HOME", config.toString())
            .run("links");
    assertThat(server.last().authorization()).isNull();
    assertThat(none.err()).contains("not logged in to " + server.url());
  }

  @Test
  void theStoredKeyIsUsedOnlyForItsOwnServer() {
    new Config(config.resolve("tinyscale/config"))
        .save(new Config.Login(server.url() + "/", "ts_stored", "me@example.com"));
    server.answer(
        "GET /api/links?page=0&size=20", 200, "{\"items\":[],\"page\":0,\"size\":20,\"total\":0}");
    InProcess noEnv = new InProcess().env("XDG_CONFIG_HOME", config.toString());
    // the stored login's server is the default server
    assertThat(noEnv.run("links").exit()).isZero();
    assertThat(server.last().authorization()).isEqualTo("Bearer ts_stored");
    try (FakeServer other = new FakeServer()) {
      other.answer("GET /api/links?page=0&size=20", 401, UNAUTHORIZED);
      InProcess.Result elsewhere = noEnv.run("links", "--server", other.url());
      assertThat(other.last().authorization()).isNull();
      assertThat(elsewhere.err()).contains("not logged in to " + other.url());
    }
  }

  @Test
  void linksAreATableWithPagesCountedFromOne() {
    server.answer(
        "GET /api/links?page=1&size=1",
        200,
        "{\"items\":[" + LINK + "],\"page\":1,\"size\":1,\"total\":3}");
    InProcess.Result result = cli().run("links", "--page", "2", "--size", "1");
    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("CODE", "hi", "302", "never", "https://example.com/a")
        .endsWith("page 2 of 3, 3 links (next: --page 3)\n");
    assertThat(cli().run("links", "--page", "0").exit()).isEqualTo(2);
  }

  @Test
  void statsAndDelete() {
    server.answer(
        "GET /api/stats/hi",
        200,
        "{\"code\":\"hi\",\"url\":\"https://example.com/a\",\"totalClicks\":3}");
    server.answer("DELETE /api/links/hi", 204, null);
    assertThat(cli().run("stats", "hi").out()).contains("clicks      3");
    InProcess.Result deleted = cli().run("delete", "hi");
    assertThat(deleted.exit()).isZero();
    assertThat(deleted.out()).isEqualTo("deleted hi\n");
    assertThat(cli().run("delete", "hi", "--json").out())
        .isEqualTo("{\"code\":\"hi\",\"deleted\":true}\n");
    assertThat(cli().run("stats", "gone").exit()).isEqualTo(1);
  }

  @Test
  void liveResumesAfterTheLastClickPrintedWhenTheServerSaysGoodbye() throws Exception {
    String id = "0193a1b2-7c4d-7e5f-8a6b-1c2d3e4f5a6b";
    server.answer(
        "GET /api/stream/hi",
        200,
        """
        : ready

        event: click
        id: %s
        data: {"code":"hi","clickedAt":"2026-12-06T21:15:10Z","browser":"Firefox","os":"Linux","device":"Desktop","country":"US","referrerHost":null,"bot":false}

        event: shutdown
        data: {}

        """
            .formatted(id));
    java.util.concurrent.atomic.AtomicReference<InProcess.Result> result =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread live = Thread.ofVirtual().start(() -> result.set(cli().run("live", "hi", "--json")));
    io.tinyscale.testkit.Waits.until("a second connection", () -> server.requests.size() >= 2);
    live.interrupt(); // Ctrl-C, as far as the loop is concerned
    live.join(10_000);
    assertThat(server.requests.get(0).lastEventId()).isNull();
    assertThat(server.requests.get(1).lastEventId()).as("resumed after the click").isEqualTo(id);
    assertThat(result.get().out()).startsWith("{\"code\":\"hi\"");
    assertThat(result.get().err())
        .contains(
            "live: waiting for clicks on /hi (Ctrl-C stops)",
            "live: the server is shutting down; resuming after the last click");
  }

  @Test
  void healthExitsOneNamingWhatIsDown() throws IOException {
    server.answer(
        "GET /health/ready",
        503,
        """
        {"status":"DOWN","checks":[{"name":"postgres","status":"DOWN","data":{"error":"Connection refused"}},\
        {"name":"redis","status":"UP"}]}""");
    InProcess.Result result = cli().run("health");
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).contains("is NOT ready", "postgres  DOWN (Connection refused)");
    assertThat(result.err())
        .isEqualTo(
            "tinyscale: "
                + server.url()
                + " is not ready: postgres is DOWN (Connection refused)\n");
    // the key is tried on the admin details (404 from this server); the readiness probe goes
    // without it
    assertThat(server.last().path()).isEqualTo("/health/ready");
    assertThat(server.last().authorization()).isNull();
    InProcess.Result json = cli().run("health", "--json");
    assertThat(json.exit()).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(json.out()).get("status").asText()).isEqualTo("DOWN");
  }

  @Test
  void healthWithAnAdminsKeyShowsTheDetails() {
    server.answer(
        "GET /api/admin/health",
        200,
        """
        {"status":"UP","checks":[{"name":"kafka","status":"UP","data":{"degraded":false,"spoolBytes":0,"topicPartitions":6}}]}""");
    InProcess.Result result = cli().run("health");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("is ready", "kafka  UP (spoolBytes: 0, topicPartitions: 6)");
    assertThat(server.last().authorization()).isEqualTo("Bearer ts_key");
  }

  @Test
  void anUnreachableServerIsExitThree() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    InProcess.Result result = cli().run("health", "--server", "http://127.0.0.1:" + port);
    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err())
        .contains("cannot reach http://127.0.0.1:" + port + " (connection refused)");
  }

  @Test
  void usageErrorsAreExitTwo() {
    assertThat(cli().run().exit()).isEqualTo(2);
    InProcess.Result unknown = cli().run("shortn", "https://example.com");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Did you mean", "shorten");
    assertThat(cli().run("shorten").err()).contains("Missing required parameter: 'URL'");
    assertThat(cli().run("shorten", "https://example.com", "--redirect-type", "x").exit())
        .isEqualTo(2);
    InProcess.Result badServer = cli().run("health", "--server", "localhost:8080");
    assertThat(badServer.exit()).isEqualTo(2);
    assertThat(badServer.err()).contains("--server must be an http:// or https:// URL");
    assertThat(cli().env("TINYSCALE_URL", "ftp://x").run("health").err())
        .contains("TINYSCALE_URL must be");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void registerStoresTheKeyAndLoginCreatesOneWithTheSession() throws IOException {
    server.answer(
        "POST /api/auth/register",
        201,
        "{\"id\":1,\"email\":\"me@example.com\",\"apiKey\":\"ts_first\"}");
    InProcess anonymous =
        new InProcess()
            .env("TINYSCALE_URL", server.url())
            .env("XDG_CONFIG_HOME", config.toString());
    InProcess.Result registered =
        anonymous
            .stdin("a long password\n")
            .run("register", "--email", "me@example.com", "--password-stdin");
    assertThat(registered.exit()).as(registered.err()).isZero();
    assertThat(new ObjectMapper().readTree(server.last().body()).get("password").asText())
        .isEqualTo("a long password");
    assertThat(new Config(config.resolve("tinyscale/config")).load())
        .hasValueSatisfying(
            login -> {
              assertThat(login.apiKey()).isEqualTo("ts_first");
              assertThat(login.server()).isEqualTo(server.url());
            });

    server.answer(
        "POST /api/auth/login",
        200,
        "{\"id\":1,\"email\":\"me@example.com\"}",
        Map.of("Set-Cookie", "tinyscale_session=s3cret; Path=/; HttpOnly"));
    server.answer(
        "GET /api/keys",
        200,
        "[{\"id\":1,\"name\":\"default\",\"prefix\":\"ts_first12\"},"
            + "{\"id\":5,\"name\":\"laptop\",\"prefix\":\"ts_laptop1\"}]");
    server.answer("DELETE /api/keys/5", 204, null);
    server.answer(
        "POST /api/keys",
        201,
        "{\"id\":2,\"name\":\"laptop\",\"apiKey\":\"ts_second\",\"createdAt\":\"2026-11-20T09:30:00Z\"}");
    server.answer("POST /api/auth/logout", 204, null);
    InProcess.Result loggedIn =
        anonymous
            .stdin("a long password")
            .run("login", "--email", "me@example.com", "--password-stdin", "--key-name", "laptop");
    assertThat(loggedIn.exit()).as(loggedIn.err()).isZero();
    assertThat(loggedIn.out()).contains("as me@example.com", "'laptop'");
    FakeServer.Request keyRequest = server.requests.get(server.requests.size() - 2);
    assertThat(keyRequest.path()).isEqualTo("/api/keys");
    assertThat(keyRequest.cookie()).isEqualTo("tinyscale_session=s3cret");
    assertThat(keyRequest.authorization()).isNull();
    assertThat(server.last().path()).isEqualTo("/api/auth/logout");
    assertThat(server.requests.stream().map(r -> r.method() + " " + r.path()))
        .as("this host's earlier key is replaced, the account's other keys are kept")
        .contains("DELETE /api/keys/5")
        .doesNotContain("DELETE /api/keys/1");
    assertThat(new Config(config.resolve("tinyscale/config")).load().orElseThrow().apiKey())
        .isEqualTo("ts_second");
  }

  @Test
  void withoutATerminalThePasswordMustComeFromStdin() {
    InProcess.Result result = cli().run("login", "--email", "me@example.com");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--password-stdin is required");
    assertThat(cli().run("register").err()).contains("--email is required");
  }

  @Test
  void logoutRevokesTheStoredKeyThenForgetsIt() {
    Config stored = new Config(config.resolve("tinyscale/config"));
    stored.save(new Config.Login(server.url(), "ts_Abcdefg1234567", "me@example.com"));
    server.answer(
        "GET /api/keys",
        200,
        "[{\"id\":1,\"name\":\"other\",\"prefix\":\"ts_Zzzzzzz\"},{\"id\":7,\"name\":\"laptop\",\"prefix\":\"ts_Abcdefg\"}]");
    server.answer("DELETE /api/keys/7", 204, null);
    InProcess.Result result =
        new InProcess().env("XDG_CONFIG_HOME", config.toString()).run("logout");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(server.last().method() + " " + server.last().path()).isEqualTo("DELETE /api/keys/7");
    assertThat(result.out()).contains("revoked API key 'laptop'");
    assertThat(stored.load()).isEmpty();
  }

  @Test
  void keysAreListedWithTheOneInUseMarked() {
    server.answer(
        "GET /api/keys",
        200,
        "[{\"id\":1,\"name\":\"default\",\"prefix\":\"ts_other12\",\"createdAt\":\"2026-11-20T09:30:00Z\"},"
            + "{\"id\":2,\"name\":\"ci\",\"prefix\":\"ts_key\",\"createdAt\":\"2026-11-20T09:30:00Z\"}]");
    String out = cli().run("keys").out();
    assertThat(out.lines().filter(l -> l.contains("(in use)")))
        .singleElement()
        .asString()
        .startsWith("2 ");
    assertThat(cli().run("keys", "list").out()).isEqualTo(out);
  }

  @Test
  void deadLettersForAdminsAndPlainSentencesForOthers() {
    server.answer(
        "GET /api/admin/dlt?limit=100",
        200,
        """
        {"total":1,"replayedUpTo":0,"items":[{"offset":0,"key":"hi","value":"x","replayed":false,\
        "headers":{"x-error-message":"not JSON"}}]}""");
    InProcess.Result list = cli().run("dlt", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("OFFSET", "hi", "not JSON", "1 dead letter in clicks.dlt");
    server.answer("POST /api/admin/dlt/replay", 200, "{\"replayed\":1,\"from\":0,\"to\":1}");
    assertThat(cli().run("dlt", "replay").out())
        .isEqualTo("replayed 1 dead letter to clicks (offsets 0 to 0)\n");

    server.answer(
        "GET /api/admin/dlt?limit=5",
        403,
        "{\"type\":\"urn:tinyscale:problem:forbidden\",\"title\":\"Not allowed\",\"status\":403}");
    InProcess.Result forbidden = cli().run("dlt", "list", "--limit", "5");
    assertThat(forbidden.exit()).isEqualTo(1);
    assertThat(forbidden.err())
        .contains("only admins may use the dead-letter topic", "tinyscale admin grant EMAIL");
    // a server from before the pipeline
    InProcess.Result old = cli().run("dlt", "list", "--limit", "7");
    assertThat(old.exit()).isEqualTo(1);
    assertThat(old.err()).contains("has no dead-letter API (GET /api/admin/dlt answered 404)");
    assertThat(cli().run("dlt").exit()).isEqualTo(2);
  }

  @Test
  void completionCoversEveryCommand() {
    InProcess.Result result = cli().run("completion", "zsh");
    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("complete -F", "bashcompinit");
    Tinyscale.COMMANDS.keySet().forEach(name -> assertThat(result.out()).contains(name));
  }

  @Test
  void everyCommandHasHelpWithExitCodesAndFitsEightyColumns() {
    List<String> commands = new ArrayList<>(Tinyscale.COMMANDS.keySet());
    commands.remove("help");
    commands.addAll(List.of("keys list", "keys create", "keys delete", "dlt list", "dlt replay"));
    for (String name : commands) {
      List<String> args = new ArrayList<>(List.of(name.split(" ")));
      args.add("--help");
      InProcess.Result help = cli().run(args.toArray(String[]::new));
      assertThat(help.exit()).as(name).isZero();
      assertThat(help.out())
          .as(name)
          .contains("Usage: tinyscale " + name, "Exit codes:", "3   the server is unreachable");
      assertThat(help.out().lines())
          .as(name)
          .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
      assertThat(help.out()).as(name).contains("Examples:");
    }
    assertThat(cli().run("--help").out()).contains("Commands:", "Environment:", "Examples:");
  }

  @Test
  void everyCommandIsListedUnderItsOwnName() {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    CommandLine all =
        Tinyscale.commandLine(
            new Environment(Map.of(), System.in, nowhere, nowhere, Optional::empty));
    assertThat(all.getSubcommands().keySet())
        .containsExactlyElementsOf(Tinyscale.COMMANDS.keySet());
    all.getSubcommands()
        .forEach((name, command) -> assertThat(command.getCommandName()).isEqualTo(name));
    // only the named command is set up
    assertThat(
            Tinyscale.commandLine(
                    new Environment(Map.of(), System.in, nowhere, nowhere, Optional::empty),
                    "health")
                .getSubcommands()
                .keySet())
        .containsExactly("health");
  }

  @Test
  void theArchiveTrainingRunCompletes() throws IOException {
    Training.main(new String[0]);
  }
}
