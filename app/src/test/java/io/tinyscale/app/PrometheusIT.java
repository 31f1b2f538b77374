package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tinyscale.testkit.Api;
import io.tinyscale.testkit.Api.User;
import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.SseStream;
import io.tinyscale.testkit.TinyscaleUp;
import io.tinyscale.testkit.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The monitoring in deploy/: promtool checks Prometheus' configuration and the alert rules and runs
 * the rules' unit tests; then Debian's Prometheus scrapes the packaged app ({@code ./tinyscale up})
 * while a user drives it, and every expression of the Grafana dashboard, and every alert's
 * expression without its threshold, must return series.
 */
class PrometheusIT {
  private static final Path REPO = TinyscaleUp.REPO;
  private static final Path PROMETHEUS = REPO.resolve("deploy/prometheus");
  private static final Path GRAFANA = REPO.resolve("deploy/grafana");
  private static final Path OPERATIONS = REPO.resolve("docs/operations.md");
  private static final Path WORK = REPO.resolve("app/target/prometheus-it");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** An alert's threshold: a comparison with a number that ends its expression. */
  private static final Pattern THRESHOLD =
      Pattern.compile("\\s*(>=|<=|==|!=|>|<)\\s*[0-9.eE+-]+\\s*$");

  /** Grafana's rate window, which Prometheus does not know: the test scrapes every second. */
  private static final String RATE_INTERVAL = "30s";

  private static final List<String> ROWS =
      List.of(
          "Traffic and redirect",
          "API",
          "Caches",
          "Rate limits",
          "Click capture and journal",
          "Pipeline consumers",
          "OpenSearch",
          "Live (SSE)",
          "JVM and pools");

  @Test
  void promtoolPassesTheConfigurationTheRulesAndTheirTests() throws Exception {
    Files.createDirectories(WORK);
    promtool("check", "config", PROMETHEUS.resolve("prometheus.yml").toString());
    promtool("check", "rules", PROMETHEUS.resolve("alerts.yml").toString());
    promtool("test", "rules", PROMETHEUS.resolve("alerts.test.yml").toString());
  }

  @Test
  void everyAlertHasARunbookAndATestOfFiringAndOfStayingSilent() throws Exception {
    String operations = Files.readString(OPERATIONS);
    JsonNode tests = YAML.readTree(PROMETHEUS.resolve("alerts.test.yml").toFile()).get("tests");
    for (JsonNode rule : alertRules()) {
      String name = rule.get("alert").asText();
      assertThat(rule.path("annotations").path("runbook").asText())
          .as(name + "'s runbook")
          .isEqualTo("docs/operations.md#" + name.toLowerCase());
      assertThat(operations).as("its section in docs/operations.md").contains("### " + name + "\n");
      boolean fires = false;
      boolean silent = false;
      for (JsonNode test : tests) {
        for (JsonNode check : test.path("alert_rule_test")) {
          if (check.get("alertname").asText().equals(name)) {
            fires |= !check.path("exp_alerts").isEmpty();
            silent |= check.path("exp_alerts").isEmpty();
          }
        }
      }
      assertThat(fires).as(name + " tested firing").isTrue();
      assertThat(silent).as(name + " tested staying silent").isTrue();
    }
  }

  @Test
  void theDashboardHasARowPerAreaOnTheProvisionedDataSource() throws Exception {
    JsonNode dashboard = JSON.readTree(GRAFANA.resolve("dashboards/tinyscale.json").toFile());
    List<String> rows = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      if (panel.get("type").asText().equals("row")) {
        rows.add(panel.get("title").asText());
      }
    }
    assertThat(rows).isEqualTo(ROWS);

    JsonNode source =
        YAML.readTree(GRAFANA.resolve("provisioning/datasources/prometheus.yml").toFile())
            .get("datasources")
            .get(0);
    assertThat(source.get("url").asText()).isEqualTo("http://prometheus:9090");
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("datasource").path("uid").asText())
            .as(panel.get("title").asText())
            .isEqualTo(source.get("uid").asText());
      }
    }
    JsonNode provider =
        YAML.readTree(GRAFANA.resolve("provisioning/dashboards/tinyscale.yml").toFile())
            .get("providers")
            .get(0);
    assertThat(provider.path("options").path("path").asText())
        .isEqualTo("/var/lib/grafana/dashboards");
    assertThat(dashboardExpressions()).isNotEmpty();
  }

  @Test
  void everyDashboardExpressionAndAlertSelectorHasDataFromTheRunningApp() throws Exception {
    try (TinyscaleUp up =
        new TinyscaleUp(
            WORK.resolve("home"), TinyscaleUp.env("TINYSCALE_DB_NAME", "tinyscale_prom_e2e"))) {
      int port = Ports.free();
      Path config = scrapeConfig(up.port, port);
      promtool("check", "config", config.toString());
      Path data = WORK.resolve("data");
      deleteTree(data);
      Process prometheus =
          new ProcessBuilder(
                  "/usr/bin/prometheus",
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + data,
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(WORK.resolve("prometheus.log").toFile())
              .start();
      try {
        String prom = "http://127.0.0.1:" + port;
        Waits.until(
            "Prometheus listens",
            () -> {
              assertThat(prometheus.isAlive()).as("Prometheus runs (prometheus.log)").isTrue();
              return Ports.isListening(port);
            });
        Waits.until(
            "Prometheus scrapes the app as server and worker",
            () -> series(prom, "up{job=~\"server|worker\"} == 1") == 2);

        drive(up);

        Map<String, String> expected = new LinkedHashMap<>();
        for (String expr : dashboardExpressions()) {
          expected.put("dashboard: " + expr, expr);
        }
        for (JsonNode rule : alertRules()) {
          expected.put(
              "alert " + rule.get("alert").asText() + ": " + selector(rule), selector(rule));
        }
        Set<String> names = new TreeSet<>();
        expected.values().forEach(expr -> names.addAll(metricNames(expr)));
        assertThat(names).contains("http_server_requests_seconds_bucket", "up");

        List<String> empty = new ArrayList<>(expected.keySet());
        try {
          Waits.await("every dashboard expression and alert selector has data")
              .atMost(Duration.ofMinutes(2))
              .until(
                  () -> {
                    empty.removeIf(what -> series(prom, expected.get(what)) > 0);
                    return empty.isEmpty();
                  });
        } catch (ConditionTimeoutException e) {
          throw new AssertionError("no data for:\n  " + String.join("\n  ", empty), e);
        }
        // a label typo inside an `or` or a ratio would still return data: each metric named
        // must exist under that name
        JsonNode known = get(prom + "/api/v1/label/__name__/values").get("data");
        Set<String> exposed = new TreeSet<>();
        known.forEach(n -> exposed.add(n.asText()));
        assertThat(exposed).containsAll(names);
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
      }
    }
  }

  /** Register, shorten, redirects, a 404, API calls (one refused), a live stream. */
  private static void drive(TinyscaleUp up) {
    Api api = new Api(up.url);
    User user = api.register();
    String code = api.shorten(user, "https://example.com/prometheus");
    for (int i = 0; i < 20; i++) {
      assertThat(api.get("/" + code).status()).isEqualTo(302);
    }
    assertThat(api.get("/nosuchcode-prometheus").status()).isEqualTo(404);
    assertThat(api.get("/api/links", user.auth()).status()).isEqualTo(200);
    assertThat(api.get("/api/links").status()).isEqualTo(401);
    try (SseStream live = SseStream.open(up.url + "/api/stream/" + code, user.auth())) {
      live.await("': ready'", frame -> "ready".equals(frame.comment()));
      assertThat(api.get("/" + code).status()).isEqualTo(302);
      live.awaitEvents("click", 1);
    }
  }

  /**
   * prometheus.yml for this test: the same jobs and rules, with the app's address in place of
   * compose's DNS names and a scrape every second.
   */
  private static Path scrapeConfig(int appPort, int prometheusPort) throws IOException {
    ObjectNode config = (ObjectNode) YAML.readTree(PROMETHEUS.resolve("prometheus.yml").toFile());
    ObjectNode global = (ObjectNode) config.get("global");
    global.put("scrape_interval", "1s");
    global.put("evaluation_interval", "1s");
    ArrayNode rules = config.putArray("rule_files");
    rules.add(PROMETHEUS.resolve("alerts.yml").toString());
    Set<String> jobs = new TreeSet<>();
    for (JsonNode scrape : config.get("scrape_configs")) {
      ObjectNode job = (ObjectNode) scrape;
      String name = job.get("job_name").asText();
      jobs.add(name);
      int port = name.equals("prometheus") ? prometheusPort : appPort;
      if (job.has("dns_sd_configs")) {
        assertThat(job.get("dns_sd_configs").get(0).get("names").get(0).asText()).isEqualTo(name);
        assertThat(job.get("dns_sd_configs").get(0).get("port").asInt()).isEqualTo(8080);
        assertThat(job.get("metrics_path").asText()).isEqualTo("/metrics");
        job.remove("dns_sd_configs");
      }
      job.putArray("static_configs").addObject().putArray("targets").add("127.0.0.1:" + port);
    }
    assertThat(jobs).containsExactlyInAnyOrder("prometheus", "server", "worker");
    Files.createDirectories(WORK);
    Path copy = WORK.resolve("prometheus.yml");
    YAML.writeValue(copy.toFile(), config);
    return copy;
  }

  private static List<JsonNode> alertRules() throws IOException {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode group : YAML.readTree(PROMETHEUS.resolve("alerts.yml").toFile()).get("groups")) {
      group.get("rules").forEach(rules::add);
    }
    assertThat(rules).isNotEmpty();
    return rules;
  }

  /** The alert's expression without its threshold. */
  private static String selector(JsonNode rule) {
    String expr = rule.get("expr").asText().strip();
    Matcher threshold = THRESHOLD.matcher(expr);
    assertThat(threshold.find()).as(rule.get("alert").asText() + " ends with a threshold").isTrue();
    return expr.substring(0, threshold.start());
  }

  private static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard = JSON.readTree(GRAFANA.resolve("dashboards/tinyscale.json").toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.get("expr").asText().replace("$__rate_interval", RATE_INTERVAL));
      }
    }
    return exprs;
  }

  /** The metric names in a PromQL expression: identifiers outside label matchers and clauses. */
  static Set<String> metricNames(String expr) {
    String bare =
        expr.replaceAll("\"[^\"]*\"", "\"\"")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^]]*]", "")
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
    Set<String> names = new TreeSet<>();
    Matcher identifier = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
    while (identifier.find()) {
      String rest = bare.substring(identifier.end()).stripLeading();
      String name = identifier.group();
      if (!rest.startsWith("(") && !Set.of("or", "and", "unless").contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** How many series {@code expr} returns now. */
  private static int series(String prometheus, String expr) {
    JsonNode answer =
        get(prometheus + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    assertThat(answer.get("status").asText()).as(expr + ": " + answer).isEqualTo("success");
    return answer.get("data").get("result").size();
  }

  private static JsonNode get(String url) {
    try {
      HttpResponse<String> res =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(res.body());
    } catch (IOException e) {
      throw new IllegalStateException(url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/promtool"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(PROMETHEUS.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
