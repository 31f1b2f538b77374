package io.tinyscale.devstack;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/**
 * Kafka: {@code TINYSCALE_KAFKA_BOOTSTRAP} as is; else the broker on 127.0.0.1:9092 when it answers
 * as a Kafka broker; else a single-node KRaft broker devstack runs as a child process ({@link
 * KafkaBroker}), which fault tests can stop and start again through {@link Engine#stop()} and
 * {@link Engine#start()}.
 */
final class KafkaProvisioner implements Provisioner {

  static final String BOOTSTRAP = "TINYSCALE_KAFKA_BOOTSTRAP";

  /**
   * Where to look for a running broker; tests point it at an unused port to have devstack start
   * one.
   */
  static final String PROBE_PORT = "TINYSCALE_DEVSTACK_KAFKA_PORT";

  static final String EMBEDDED_PORT = "TINYSCALE_DEVSTACK_EMBEDDED_KAFKA_PORT";

  /**
   * JVM options for the broker devstack starts, after its own (see {@link
   * KafkaBroker#JVM_OPTIONS}), separated by white space.
   */
  static final String JVM_OPTIONS = "TINYSCALE_DEVSTACK_KAFKA_OPTS";

  static final int DEFAULT_PORT = 9092;
  static final int DEFAULT_EMBEDDED_PORT = 29092;

  private static final short API_VERSIONS = 18;
  private static final short UNSUPPORTED_VERSION = 35;
  private static final int CORRELATION_ID = 0x7541_6b31;

  /**
   * Long enough for a busy broker to answer, short enough not to stall {@code ./tinyscale up} on a
   * wrong one.
   */
  private static final Duration PROBE_WAIT = Duration.ofSeconds(5);

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public Optional<Provision> given(Options options) {
    return options
        .variable(BOOTSTRAP)
        .map(bootstrap -> Provision.untouched(engine(Origin.GIVEN, bootstrap, null)));
  }

  @Override
  public Optional<Provision> found(Options options) {
    int port = options.port(PROBE_PORT, DEFAULT_PORT);
    if (!Local.reachable(port)) {
      return Optional.empty();
    }
    // Something listens; only a Kafka broker will do, not whatever else took the port, and only one
    // that
    // can be reached at the address it advertises (a broker in a container may advertise its own
    // name).
    String bootstrap = bootstrap(port);
    if (!speaksKafka(port, PROBE_WAIT)) {
      throw new DevStackException(
          "Something listens on "
              + bootstrap
              + ", but it does not answer as a Kafka"
              + " broker. Stop it, or set "
              + BOOTSTRAP
              + " to a running broker, or set "
              + PROBE_PORT
              + " to a free port to have devstack start a broker of its own.");
    }
    try {
      describeCluster(bootstrap, PROBE_WAIT);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new DevStackException(
          "Something listens on "
              + bootstrap
              + ", but it does not answer as a Kafka"
              + " broker devstack can use ("
              + Local.rootMessage(e)
              + "). Stop it, or set "
              + BOOTSTRAP
              + " to a running broker, or set "
              + PROBE_PORT
              + " to a free port to have devstack start a"
              + " broker of its own.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException(
          "Interrupted while asking " + bootstrap + " whether it is a Kafka broker.");
    }
    return Optional.of(Provision.untouched(engine(Origin.FOUND, bootstrap, null)));
  }

  @Override
  public Provision start(Options options) {
    int port = options.port(EMBEDDED_PORT, DEFAULT_EMBEDDED_PORT);
    KafkaBroker broker =
        ChildEngine.launch(new KafkaBroker(options.home(), port, options.words(JVM_OPTIONS)));
    return new Provision(
        engine(Origin.STARTED, bootstrap(port), broker), broker, broker::awaitReady);
  }

  @Override
  public boolean readyInBackground() {
    return true;
  }

  private Engine engine(Origin origin, String bootstrap, Engine.Control control) {
    return new Engine(
        name(), origin, Local.masked(bootstrap), Map.of(BOOTSTRAP, bootstrap), control);
  }

  static String bootstrap(int port) {
    return Local.HOST + ":" + port;
  }

  /**
   * Whether a Kafka broker answers on 127.0.0.1:port: an ApiVersions request over a plain socket,
   * version 0, which every broker answers (with its versions, or with UNSUPPORTED_VERSION in
   * version 0's format). Cheap enough to poll for, and a web server or a Redis that took the port
   * does not pass it.
   */
  static boolean speaksKafka(int port, Duration wait) {
    int millis = (int) wait.toMillis();
    byte[] clientId = "tinyscale-devstack".getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(Local.HOST, port),
          Math.min(millis, (int) Local.PROBE_TIMEOUT.toMillis()));
      socket.setSoTimeout(millis);
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
      out.writeInt(2 + 2 + 4 + 2 + clientId.length); // request size
      out.writeShort(API_VERSIONS);
      out.writeShort(0); // api version
      out.writeInt(CORRELATION_ID);
      out.writeShort(clientId.length);
      out.write(clientId);
      out.flush();
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      int size = in.readInt();
      if (size < 4 + 2 + 4 || size > 1 << 20) {
        return false;
      }
      int correlationId = in.readInt();
      short error = in.readShort();
      return correlationId == CORRELATION_ID && (error == 0 || error == UNSUPPORTED_VERSION);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Asks for the cluster's id and nodes, which takes a broker that speaks Kafka's protocol and can
   * be reached at the address it advertises (the admin client goes there after bootstrapping).
   */
  private static String describeCluster(String bootstrap, Duration wait)
      throws ExecutionException, TimeoutException, InterruptedException {
    int millis = (int) wait.toMillis();
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 1000);
    config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 1000);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
    config.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
    config.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 250);
    Admin admin = Admin.create(config);
    try {
      DescribeClusterResult cluster =
          admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis));
      String id = cluster.clusterId().get(millis + 1000L, TimeUnit.MILLISECONDS);
      if (cluster.nodes().get(millis + 1000L, TimeUnit.MILLISECONDS).isEmpty()) {
        throw new IllegalStateException("the cluster has no brokers");
      }
      return id;
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }
}
