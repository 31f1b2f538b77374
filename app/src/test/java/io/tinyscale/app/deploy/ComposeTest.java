package io.tinyscale.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tinyscale.testkit.TinyscaleUp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * compose.yaml as docker-compose renders it (Debian's docker-compose 1.29: {@code config} works
 * without an engine): the services DESIGN.md names, health-gated start, named volumes, limits, a
 * click journal per server replica, and no secret in the file.
 */
class ComposeTest {
  private static final Path REPO = TinyscaleUp.REPO;
  private static final Set<String> SERVICES =
      Set.of(
          "postgres",
          "pgbouncer",
          "redis",
          "kafka",
          "opensearch",
          "server",
          "worker",
          "nginx",
          "prometheus",
          "grafana");
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i)\\s*[A-Z_]*(PASSWORD|SECRET|TOKEN)[A-Z_]*:.*");

  @Test
  void withoutItsEnvFileComposeRefusesToStart() throws Exception {
    Path empty = Files.createTempFile("tinyscale-compose", ".env");
    try {
      Result refused =
          compose("--env-file", empty.toString(), "-f", "compose.yaml", "config", "-q");
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.output()).contains("set POSTGRES_PASSWORD in .env");
    } finally {
      Files.delete(empty);
    }
  }

  /** {@code docker-compose config} with .env.example's values filled in: the file as it runs. */
  private static JsonNode rendered() throws IOException, InterruptedException {
    Path env = Files.createTempFile("tinyscale-compose", ".env");
    try {
      Files.writeString(
          env,
          Files.readString(REPO.resolve(".env.example"))
              .replace("POSTGRES_PASSWORD=\n", "POSTGRES_PASSWORD=not-a-real-one\n")
              .replace("GRAFANA_ADMIN_PASSWORD=\n", "GRAFANA_ADMIN_PASSWORD=not-a-real-one\n")
              .replace("TINYSCALE_BASE_URL=\n", "TINYSCALE_BASE_URL=https://sho.rt\n"));
      Result config = compose("--env-file", env.toString(), "-f", "compose.yaml", "config");
      assertThat(config.exit()).as(config.output()).isZero();
      return new ObjectMapper(new YAMLFactory()).readTree(config.output());
    } finally {
      Files.delete(env);
    }
  }

  @Test
  void everyServiceIsHealthGatedAndLimitedAndTheAppRunsAsDeployed() throws Exception {
    JsonNode compose = rendered();
    JsonNode services = compose.get("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrderElementsOf(SERVICES);

    for (Map.Entry<String, JsonNode> entry : services.properties()) {
      String name = entry.getKey();
      JsonNode service = entry.getValue();
      assertThat(service.has("image") || service.has("build")).as(name).isTrue();
      if (service.path("healthcheck").path("test").isMissingNode()) {
        // an image built here brings its own (the app's: DockerImageIT)
        Path dockerfile = Path.of(service.at("/build/context").asText()).resolve("Dockerfile");
        assertThat(dockerfile).as(name + " has a health check").content().contains("HEALTHCHECK");
      }
      assertThat(service.at("/deploy/resources/limits/memory").asText())
          .as(name + " has a memory limit")
          .isNotEmpty();
      assertThat(service.at("/deploy/resources/limits/cpus").asText())
          .as(name + " has a CPU limit")
          .isNotEmpty();
      for (Map.Entry<String, JsonNode> dependency : service.path("depends_on").properties()) {
        assertThat(dependency.getValue().path("condition").asText())
            .as(name + " waits for " + dependency.getKey() + " to be healthy")
            .isEqualTo("service_healthy");
      }
      for (JsonNode volume : service.path("volumes")) {
        String source = volume.asText().split(":")[0];
        assertThat(
                source.startsWith("./")
                    || source.startsWith("/")
                    || compose.path("volumes").has(source))
            .as(name + ": volume " + source + " is declared (named) or a path")
            .isTrue();
      }
    }

    JsonNode server = services.get("server");
    assertThat(server.at("/deploy/replicas").asInt()).isEqualTo(2);
    assertThat(server.at("/environment/TINYSCALE_ROLE").asText()).isEqualTo("server");
    assertThat(services.at("/worker/environment/TINYSCALE_ROLE").asText()).isEqualTo("worker");
    // each replica's click journal: an anonymous volume of its own at TINYSCALE_HOME
    assertThat(server.get("volumes")).extracting(JsonNode::asText).contains("/var/lib/tinyscale");
    for (String app : List.of("server", "worker")) {
      JsonNode service = services.get(app);
      assertThat(service.path("read_only").asBoolean()).as(app + " read-only").isTrue();
      assertThat(service.at("/environment/TINYSCALE_DB_URL").asText())
          .as(app + " goes through PgBouncer without server-side prepared statements")
          .contains("pgbouncer:6432", "prepareThreshold=0");
      Duration grace = Duration.parse("PT" + service.path("stop_grace_period").asText());
      Duration drain = Duration.parse(service.at("/environment/TINYSCALE_DRAIN_DELAY").asText());
      assertThat(grace)
          .as(app + ": the grace period covers the drain delay and the 10 s shutdown timeout")
          .isGreaterThan(drain.plusSeconds(10));
    }
  }

  @Test
  void noSecretIsInTheFile() throws IOException {
    // every variable named like a secret takes its value from .env (${NAME:?…} refuses to start
    // without it), and .env is never committed
    List<String> lines = Files.readAllLines(REPO.resolve("compose.yaml"), StandardCharsets.UTF_8);
    List<String> secrets = lines.stream().filter(l -> SECRET_NAME.matcher(l).matches()).toList();
    assertThat(secrets).isNotEmpty();
    for (String line : secrets) {
      if (line.trim().startsWith("#")) {
        continue;
      }
      assertThat(line.substring(line.indexOf(':') + 1).trim())
          .as(line)
          .matches("\\$\\{[A-Z_]+:\\?[^}]*}");
    }
    assertThat(REPO.resolve(".gitignore")).content().contains(".env");
  }

  private record Result(int exit, String output) {}

  private static Result compose(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker-compose"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
