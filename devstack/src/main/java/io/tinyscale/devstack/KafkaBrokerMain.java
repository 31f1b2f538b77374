package io.tinyscale.devstack;

/**
 * The main class of the broker's own JVM, not part of devstack's API: formats the storage when it
 * is new, then runs the broker as {@code kafka-server-start.sh} would. Formatting here rather than
 * with a {@code kafka-storage format} JVM of its own saves a JVM start (seconds on two cores) on
 * every new home.
 *
 * <p>Refers to Kafka's classes and to nothing else of devstack: {@link KafkaBroker} copies it alone
 * into a small jar at the head of the broker's classpath.
 *
 * <p>Arguments: the cluster id to format with, and the {@code server.properties} file.
 */
public final class KafkaBrokerMain {

  private KafkaBrokerMain() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: KafkaBrokerMain CLUSTER_ID SERVER_PROPERTIES");
      System.exit(2);
    }
    // --ignore-formatted: storage formatted by an earlier start is kept as it is, topics and
    // offsets with it.
    int status =
        kafka.tools.StorageTool.execute(
            new String[] {
              "format", "--cluster-id", args[0], "--config", args[1], "--ignore-formatted"
            },
            System.out);
    if (status != 0) {
      System.err.println(
          "ERROR devstack: formatting the Kafka storage failed (kafka-storage format exited with "
              + status
              + ")");
      System.exit(status);
    }
    kafka.Kafka.main(new String[] {args[1]});
  }
}
