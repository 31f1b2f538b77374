package io.tinyscale.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tinyscale.testkit.Ports;
import io.tinyscale.testkit.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DevStack#main} as {@code ./tinyscale up} runs it: a JVM of its own, stopped by a signal.
 */
class DevStackMainTest {

  private final List<Process> processes = new ArrayList<>();
  private final List<Path> outputs = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws IOException {
    processes.forEach(Process::destroyForcibly);
    for (Path output : outputs) {
      Files.deleteIfExists(output);
    }
  }

  @Test
  void writesTheEnvFilePrintsTheEnginesAndStopsThemCleanlyOnSigterm(@TempDir Path home)
      throws Exception {
    Map<String, String> env = DevStackTest.embeddedEnv();
    int pgPort = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT"));
    int redisPort = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT"));
    int kafkaPort = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT"));
    int opensearchPort = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT"));
    Path envFile = home.resolve("devstack.env");

    Running devstack = launch(home, env);
    devstack.awaitLine("devstack: ready");

    assertThat(devstack.output())
        .contains(
            "devstack: postgres   started jdbc:postgresql://127.0.0.1:" + pgPort + "/tinyscale",
            "devstack: redis      started redis://127.0.0.1:" + redisPort,
            "devstack: kafka      started 127.0.0.1:" + kafkaPort,
            "devstack: opensearch started http://127.0.0.1:" + opensearchPort);
    assertThat(Files.readAllLines(envFile))
        .containsExactly(
            "TINYSCALE_DB_URL=jdbc:postgresql://127.0.0.1:" + pgPort + "/tinyscale",
            "TINYSCALE_DB_USER=postgres",
            "TINYSCALE_DB_PASSWORD=",
            "TINYSCALE_REDIS_URL=redis://127.0.0.1:" + redisPort,
            "TINYSCALE_KAFKA_BOOTSTRAP=127.0.0.1:" + kafkaPort,
            "TINYSCALE_OPENSEARCH_URL=http://127.0.0.1:" + opensearchPort);
    int controllerPort = Probe.kafkaControllerPort(home);
    try (Stream<Path> files = Files.list(home)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".tmp"));
    }

    devstack.process().destroy(); // SIGTERM, as the script sends it
    assertThat(devstack.process().waitFor(30, TimeUnit.SECONDS))
        .as("devstack exits on SIGTERM")
        .isTrue();

    assertThat(devstack.output())
        .as("exit %d", devstack.process().exitValue())
        .contains("devstack: stopped");
    assertThat(Ports.isListening(pgPort)).as("Postgres port after SIGTERM").isFalse();
    assertThat(Ports.isListening(redisPort)).as("Redis port after SIGTERM").isFalse();
    assertThat(Ports.isListening(kafkaPort)).as("Kafka port after SIGTERM").isFalse();
    assertThat(Ports.isListening(controllerPort))
        .as("Kafka controller port after SIGTERM")
        .isFalse();
    assertThat(Ports.isListening(opensearchPort)).as("OpenSearch port after SIGTERM").isFalse();
    assertThat(home.resolve("postgres/postmaster.pid")).as("no stale pid").doesNotExist();
    assertThat(home.resolve("redis/redis.pid")).as("no stale pid").doesNotExist();
    assertThat(home.resolve("kafka/kafka.pid")).as("no stale pid").doesNotExist();
    assertThat(home.resolve("opensearch/opensearch.pid")).as("no stale pid").doesNotExist();
    assertThat(envFile).as("no env file that would look like a running stack").doesNotExist();
  }

  @Test
  void stopsEnginesLeftRunningByAKilledDevstackAndStartsAgainOnTheSameData(@TempDir Path home)
      throws Exception {
    // OpenSearch given: its node is left and stopped by the same code as the broker (ChildEngine).
    Map<String, String> env = new java.util.HashMap<>(DevStackTest.embeddedEnv());
    env.put("TINYSCALE_OPENSEARCH_URL", DevStackTest.UNUSED_OPENSEARCH);
    int pgPort = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT"));
    int redisPort = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT"));
    int kafkaPort = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT"));

    Running devstack = launch(home, env);
    devstack.awaitLine("devstack: ready");
    Probe.createTopic("127.0.0.1:" + kafkaPort, "kept", 1);
    try (Connection db =
            java.sql.DriverManager.getConnection(
                PostgresProvisioner.jdbcUrl(pgPort, "tinyscale"), "postgres", "");
        Statement sql = db.createStatement()) {
      sql.execute("create table kept (word text)");
    }
    devstack.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
    devstack.process().waitFor(30, TimeUnit.SECONDS);
    assertThat(Ports.isListening(pgPort)).as("Postgres outlives a SIGKILLed devstack").isTrue();
    assertThat(Ports.isListening(redisPort)).as("Redis outlives a SIGKILLed devstack").isTrue();
    assertThat(Ports.isListening(kafkaPort))
        .as("the broker outlives a SIGKILLed devstack")
        .isTrue();

    try (Engines engines = DevStack.start(Options.of(home, "tinyscale", env))) {
      assertThat(engines.postgres().origin()).isEqualTo(Origin.STARTED);
      assertThat(engines.kafka().origin()).isEqualTo(Origin.STARTED);
      try (Connection db = Probe.connect(engines);
          Statement sql = db.createStatement()) {
        sql.execute("select count(*) from kept");
      }
      assertThat(Probe.ping(engines.redisUrl())).isEqualTo("+PONG");
      try (var admin = Probe.kafkaAdmin(engines.kafkaBootstrap())) {
        assertThat(admin.listTopics().names().get()).contains("kept");
      }
    }
    assertThat(Ports.isListening(pgPort)).isFalse();
    assertThat(Ports.isListening(redisPort)).isFalse();
    assertThat(Ports.isListening(kafkaPort)).isFalse();
  }

  @Test
  void exitsNonZeroWithASentenceWhenAnEngineCannotStart(@TempDir Path home) throws Exception {
    int taken = Ports.free();
    try (var blocker =
        new java.net.ServerSocket(taken, 50, java.net.InetAddress.getLoopbackAddress())) {
      Map<String, String> env = DevStackTest.withoutKafkaAndOpenSearch(DevStackTest.embeddedEnv());
      env.put("TINYSCALE_DB_URL", "jdbc:postgresql://127.0.0.1:1/unused");
      env.put("TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT", Integer.toString(taken));
      Running devstack = launch(home, env);
      assertThat(devstack.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(devstack.process().exitValue()).isEqualTo(1);
      assertThat(String.join("\n", devstack.output()))
          .contains("devstack: Port " + taken + " on 127.0.0.1 is taken by another program")
          .contains("set TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT to a free port");
    }
  }

  private Running launch(Path home, Map<String, String> env) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // A file, not a pipe: a thread reading a pipe loses the last lines when the process exits under
    // it.
    Path output = Files.createTempFile("devstack-main", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                DevStack.class.getName(),
                "--home",
                home.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    // Whatever the developer's shell exports must not leak into the child.
    builder.environment().keySet().removeIf(name -> name.startsWith("TINYSCALE_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    outputs.add(output);
    return new Running(process, output);
  }

  private record Running(Process process, Path outputFile) {

    void awaitLine(String expected) throws IOException, InterruptedException {
      try {
        Waits.await("'" + expected + "' printed")
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> {
                  if (output().contains(expected)) {
                    return true;
                  }
                  if (!process.isAlive()) {
                    fail(
                        "devstack exited with "
                            + process.exitValue()
                            + " before '"
                            + expected
                            + "':\n"
                            + String.join("\n", output()));
                  }
                  return false;
                });
        return;
      } catch (ConditionTimeoutException e) {
        // reported below, with the output
      }
      fail("no '" + expected + "' within 60 s:\n" + String.join("\n", output()));
    }

    /** Everything printed so far, stdout and stderr. */
    List<String> output() throws IOException {
      return Files.readAllLines(outputFile);
    }
  }
}
