package io.tinyscale.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-node KRaft Kafka (broker and controller in one JVM) that devstack runs as a child
 * process, with its data in {@code <home>/kafka/data} and its output in {@code <home>/kafka.log}. A
 * process rather than a server inside devstack's JVM: that JVM's classpath is not the broker's to
 * choose (see {@link KafkaJvm}), and fault tests stop and restart the broker as a process is
 * stopped.
 *
 * <p>{@code <home>/kafka/cluster.id} keeps the cluster id the storage was formatted with, so every
 * start reuses the storage, with its topics and offsets. The controller listens on a free port
 * chosen at each start: with a static quorum ({@code controller.quorum.voters}) its address is
 * configuration, not data, and nothing outside the broker connects to it.
 */
final class KafkaBroker extends RestartableEngine {

  static final String DATA_DIR = "kafka";
  static final String LOG_FILE = "kafka.log";
  static final String PID_FILE = "kafka.pid";
  static final String CLUSTER_ID_FILE = "cluster.id";
  static final String CONFIG_FILE = "server.properties";

  /**
   * The flags every TinyScale JVM gets (lib/jvm.options: zstd-jni and snappy load native code,
   * Kafka unmaps buffers with Unsafe), then a small heap and the client compiler only (C2 compiling
   * Kafka's and Scala's hot code costs seconds of CPU at start-up on two cores, for throughput a
   * dev broker does not need). The slf4j-simple settings keep the log to warnings and the start and
   * stop lines. {@code TINYSCALE_DEVSTACK_KAFKA_OPTS} comes after these, so it can override any of
   * them (e.g. {@code -XX:TieredStopAtLevel=4 -Xmx1g} for a benchmark).
   */
  static final List<String> JVM_OPTIONS =
      Stream.concat(
              KafkaJvm.sharedJvmOptions().stream(),
              Stream.of(
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-Djava.awt.headless=true",
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                  "-Dorg.slf4j.simpleLogger.showDateTime=true",
                  "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS"))
          .toList();

  static final Duration READY_WAIT = Duration.ofSeconds(60);
  static final Duration STOP_WAIT = Duration.ofSeconds(30);
  private static final Duration ATTEMPT_WAIT = Duration.ofSeconds(3);

  private final Path dir;
  private final Path log;
  private final int port;
  private final List<String> options;
  private final KafkaJvm jvm;
  private final Thread stopAtExit = new Thread(this::stopAtExit, "devstack-kafka-stop-at-exit");

  private Process process;
  private KafkaJvm.Launch currentLaunch;

  private KafkaBroker(Path home, int port, List<String> extraOptions, KafkaJvm jvm) {
    super("The Kafka broker");
    this.dir = home.resolve(DATA_DIR);
    this.log = home.resolve(LOG_FILE);
    this.port = port;
    List<String> all = new ArrayList<>(JVM_OPTIONS);
    all.addAll(extraOptions);
    this.options = List.copyOf(all);
    this.jvm = jvm;
  }

  /**
   * Stops a broker a killed devstack left running on this home, then launches one; {@link
   * #awaitReady()} waits until it serves. Called with the home lock held.
   */
  static KafkaBroker launch(Path home, int port, List<String> extraOptions) {
    Path dir = home.resolve(DATA_DIR);
    Local.stopLeftover("Kafka broker", dir.resolve(PID_FILE), dir, "java", "TERM", STOP_WAIT);
    Local.requireFree(
        port, "Kafka broker", KafkaProvisioner.EMBEDDED_PORT, KafkaProvisioner.BOOTSTRAP);
    KafkaJvm jvm = KafkaJvm.prepare(dir);
    try {
      Local.rotate(home.resolve(LOG_FILE));
    } catch (IOException e) {
      throw new DevStackException(
          "Cannot write the Kafka broker's log in " + home + " (" + Local.rootMessage(e) + ").", e);
    }
    KafkaBroker broker = new KafkaBroker(home, port, extraOptions, jvm);
    // Devstack's JVM may be stopped while the broker starts, before Engines holds it and its hook
    // can stop it.
    Runtime.getRuntime().addShutdownHook(broker.stopAtExit);
    try {
      synchronized (broker) {
        broker.spawn();
      }
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  /**
   * Returns once the broker serves: its client port answers ApiVersions, which it opens once it has
   * started (registered, unfenced, serving requests). Not the admin client's describeCluster: its
   * first call in a JVM loads and warms up enough of kafka-clients to take seconds on two cores. On
   * failure, stops the broker and throws with what its log says.
   */
  synchronized void awaitReady() {
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    while (true) {
      if (process == null) {
        throw new IllegalStateException("The Kafka broker is stopped.");
      }
      if (!process.isAlive()) {
        int status = process.exitValue();
        reap();
        throw failure("exited with status " + status + " while starting");
      }
      if (KafkaProvisioner.speaksKafka(port, ATTEMPT_WAIT)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        kill();
        reap();
        throw failure("was not ready within " + READY_WAIT.toSeconds() + " s");
      }
      try {
        wait(100); // releases the lock, so the shutdown hook can stop the broker meanwhile
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new DevStackException("Interrupted while waiting for the Kafka broker to start.");
      }
    }
  }

  /** SIGKILL, and a moment for the kernel to reap it. */
  private void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  void startStopped() {
    reap();
    Local.requireFree(
        port, "Kafka broker", KafkaProvisioner.EMBEDDED_PORT, KafkaProvisioner.BOOTSTRAP);
    spawn();
    awaitReady();
  }

  @Override
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    boolean clean;
    try {
      // SIGTERM: Kafka shuts down cleanly, so the next start need not recover its logs
      process.destroy();
      clean = process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    }
    if (!clean) {
      kill();
    }
    reap();
    if (process != null && process.isAlive()) {
      throw new DevStackException(
          "The Kafka broker (pid "
              + process.pid()
              + ") did not stop. Stop it with `kill -9 "
              + process.pid()
              + "`.");
    }
  }

  @Override
  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** Stops the broker for good. */
  @Override
  public synchronized void close() {
    try {
      super.close();
    } finally {
      if (Thread.currentThread() != stopAtExit) {
        try {
          Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway and finds the broker stopped
        }
      }
    }
  }

  /**
   * Forgets a process that has exited, publishing the class archive it wrote if it exited cleanly.
   */
  private void reap() {
    if (process == null || process.isAlive()) {
      return;
    }
    int status = process.exitValue();
    // 143: the JVM's status after SIGTERM, once Kafka's shutdown (and the archive's writing)
    // completed.
    jvm.finish(currentLaunch, status == 143 || status == 0);
    try {
      Files.deleteIfExists(dir.resolve(PID_FILE));
    } catch (IOException ignored) {
      // a stale pid file is checked against the process before it is trusted
    }
    process = null;
    currentLaunch = null;
  }

  private void spawn() {
    String clusterId;
    try {
      Files.createDirectories(dir);
      clusterId = clusterId();
      writeConfig(controllerPort());
    } catch (IOException e) {
      throw KafkaProvisioner.unwritable("the Kafka broker's data directory", dir, e);
    }
    currentLaunch = jvm.launch(options, clusterId, dir.resolve(CONFIG_FILE).toString());
    List<String> command = new ArrayList<>(currentLaunch.command());
    // In a session of its own, as Redis: Ctrl-C at a terminal must not stop the broker under the
    // running app;
    // devstack stops it, after the app. setsid execs the JVM in place, so the pid is the JVM's.
    Local.SETSID.ifPresent(setsid -> command.addFirst(setsid.toString()));
    try {
      process =
          new ProcessBuilder(command)
              .directory(dir.toFile()) // what Local.stopLeftover recognises a leftover broker by
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      process.getOutputStream().close();
      Files.writeString(
          dir.resolve(PID_FILE), Long.toString(process.pid()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      process = null;
      throw new DevStackException(
          "Cannot start a JVM for the Kafka broker (" + Local.rootMessage(e) + ").", e);
    }
  }

  private DevStackException failure(String what) {
    return new DevStackException(
        "The Kafka broker devstack started on "
            + Local.HOST
            + ":"
            + port
            + " (data in "
            + dir
            + ") "
            + what
            + "; its log "
            + log
            + " says: "
            + Local.tail(log, 3)
            + ". If its data directory"
            + " is damaged or from a newer Kafka, move "
            + dir.resolve("data")
            + " away (devstack then formats a"
            + " new one, without the old topics); or set "
            + KafkaProvisioner.BOOTSTRAP
            + " to a running broker.");
  }

  /**
   * The id the storage was formatted with (its meta.properties is the truth), else the one kept
   * from an earlier start, else a new one; kept in cluster.id either way.
   */
  private String clusterId() throws IOException {
    Path kept = dir.resolve(CLUSTER_ID_FILE);
    String id =
        formattedClusterId()
            .or(() -> read(kept))
            // Kafka's own generator: its ids never start with '-', which a command line would take
            // for an option.
            .orElseGet(() -> org.apache.kafka.common.Uuid.randomUuid().toString());
    Files.writeString(kept, id + "\n", StandardCharsets.UTF_8);
    return id;
  }

  private Optional<String> formattedClusterId() {
    Path meta = dir.resolve("data").resolve("meta.properties");
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(properties.getProperty("cluster.id"))
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
          .filter(s -> !s.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * A free port other than the client port: that one is free too until the broker binds it, and the
   * OS may hand it out (tests pick client ports from the same ephemeral range).
   */
  private int controllerPort() throws IOException {
    int candidate = Local.freePort();
    while (candidate == port) {
      candidate = Local.freePort();
    }
    return candidate;
  }

  /** Written at every start (the controller's port changes); edits are lost, by design. */
  private void writeConfig(int controllerPort) throws IOException {
    String data = dir.resolve("data").toString().replace("\\", "\\\\");
    String config =
        """
                # Written by devstack at every start of the broker: edits here are lost.
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@%1$s:%3$d
                listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
                advertised.listeners=PLAINTEXT://%1$s:%2$d
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                log.dirs=%4$s
                # One broker: every internal topic has one replica.
                default.replication.factor=1
                min.insync.replicas=1
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                # Fewer partitions for the internal topics than a cluster's 50: created faster, fewer files.
                offsets.topic.num.partitions=5
                transaction.state.log.num.partitions=5
                num.partitions=6
                # The application creates its topics; one created by a typo'd name is a bug to see, not hide.
                auto.create.topics.enable=false
                # A consumer group's first member starts at once instead of waiting 3 s for others.
                group.initial.rebalance.delay.ms=0
                # The log cleaner's 128 MiB default buffer would be half the heap.
                log.cleaner.dedupe.buffer.size=16777216
                """
            .formatted(Local.HOST, port, controllerPort, data);
    Files.writeString(dir.resolve(CONFIG_FILE), config, StandardCharsets.UTF_8);
  }

  private void stopAtExit() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("devstack: " + e.getMessage());
    }
  }
}
