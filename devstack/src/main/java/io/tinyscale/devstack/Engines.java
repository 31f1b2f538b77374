package io.tinyscale.devstack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The engines TinyScale runs against, however devstack came by them. {@link #close()} stops only
 * those that devstack started (in reverse order), and keeps their data.
 */
public final class Engines implements AutoCloseable {

  private final List<Provision> provisions;
  private final HomeLock homeLock;
  private boolean closed;

  private final Thread stopAtExit;

  Engines(List<Provision> provisions, HomeLock homeLock) {
    this.provisions = List.copyOf(provisions);
    this.homeLock = homeLock;
    // A test that forgets close() must not leave a Postgres behind (it outlives the JVM: pg_ctl
    // detaches it); removed again by close().
    this.stopAtExit = new Thread(this::closeAtExit, "devstack-stop-at-exit");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
  }

  public String dbUrl() {
    return variable(PostgresProvisioner.URL);
  }

  public String dbUser() {
    return variable(PostgresProvisioner.USER);
  }

  public String dbPassword() {
    return variable(PostgresProvisioner.PASSWORD);
  }

  public String redisUrl() {
    return variable(RedisProvisioner.URL);
  }

  /** {@code host:port[,host:port...]}, as Kafka clients take it in {@code bootstrap.servers}. */
  public String kafkaBootstrap() {
    return variable(KafkaProvisioner.BOOTSTRAP);
  }

  /** {@code http://host:port}, no trailing slash; given as is, it may hold credentials. */
  public String opensearchUrl() {
    return variable(OpenSearchProvisioner.URL);
  }

  /**
   * Postgres. When devstack started it (embedded), fault tests can {@link Engine#stop() stop} it
   * and {@link Engine#start() start} it again, on the same port with the same data.
   */
  public Engine postgres() {
    return engine("postgres");
  }

  public Engine redis() {
    return engine("redis");
  }

  /**
   * The Kafka broker. When devstack started it, fault tests can {@link Engine#stop() stop} it and
   * {@link Engine#start() start} it again, on the same port with the same topics and offsets.
   */
  public Engine kafka() {
    return engine("kafka");
  }

  /**
   * The OpenSearch node. When devstack started it, fault tests can {@link Engine#stop() stop} it
   * and {@link Engine#start() start} it again, on the same port with the same indices.
   */
  public Engine opensearch() {
    return engine("opensearch");
  }

  /** Every engine, in the order they were provided. */
  public List<Engine> all() {
    return provisions.stream().map(Provision::engine).toList();
  }

  /** An engine by name, e.g. {@code postgres}. */
  public Engine engine(String name) {
    return all().stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no engine named " + name));
  }

  /**
   * The {@code TINYSCALE_*} variables that point the application at these engines, in a stable
   * order.
   */
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    all().forEach(engine -> env.putAll(engine.env()));
    return Collections.unmodifiableMap(env);
  }

  private void closeAtExit() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("devstack: " + e.getMessage());
    }
  }

  private String variable(String name) {
    String value = env().get(name);
    if (value == null) {
      throw new NoSuchElementException(name + " is not provided by devstack");
    }
    return value;
  }

  /** Stops what devstack started; idempotent. The first failure is thrown after all were tried. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() != stopAtExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopAtExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway and finds this closed
      }
    }
    List<Exception> failures = new ArrayList<>();
    for (Provision provision : provisions.reversed()) {
      try {
        provision.stopper().close();
      } catch (Exception e) {
        failures.add(
            new DevStackException(
                "Stopping " + provision.engine().name() + " failed (" + Local.rootMessage(e) + ").",
                e));
      }
    }
    if (homeLock != null) {
      try {
        homeLock.close();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      DevStackException first =
          failures.getFirst() instanceof DevStackException d
              ? d
              : new DevStackException(Local.rootMessage(failures.getFirst()), failures.getFirst());
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }
}
