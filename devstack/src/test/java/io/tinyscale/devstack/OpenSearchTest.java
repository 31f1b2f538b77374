package io.tinyscale.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinyscale.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenSearch node devstack starts, finds or is given; real nodes, spoken to over HTTP. */
class OpenSearchTest {

  /**
   * Only OpenSearch: Postgres, Redis and Kafka given (never probed), the node probed for on a port
   * nothing uses.
   */
  static Map<String, String> opensearchOnlyEnv() throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("TINYSCALE_DB_URL", "jdbc:postgresql://127.0.0.1:1/unused");
    env.put("TINYSCALE_REDIS_URL", "redis://127.0.0.1:1");
    env.put("TINYSCALE_KAFKA_BOOTSTRAP", DevStackTest.UNUSED_KAFKA);
    env.put("TINYSCALE_DEVSTACK_OPENSEARCH_PORT", Integer.toString(Ports.free()));
    env.put("TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT", Integer.toString(Ports.free()));
    return env;
  }

  @Test
  void startsANodeThatKeepsItsDocumentsAcrossStopAndStartAndIsFoundByAnotherDevstack(
      @TempDir Path home) throws Exception {
    Options options = Options.of(home, "tinyscale", opensearchOnlyEnv());
    int port = Integer.parseInt(options.env().get("TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT"));
    String url = "http://127.0.0.1:" + port;

    long begin = System.nanoTime();
    try (Engines engines = DevStack.start(options)) {
      System.out.printf(
          "devstack started an OpenSearch node in %d ms%n",
          (System.nanoTime() - begin) / 1_000_000);
      Engine opensearch = engines.opensearch();
      assertThat(opensearch.origin()).isEqualTo(Origin.STARTED);
      assertThat(opensearch.endpoint()).isEqualTo(url);
      assertThat(opensearch.restartable()).isTrue();
      assertThat(opensearch.running()).isTrue();
      assertThat(engines.opensearchUrl()).isEqualTo(url);
      assertThat(engines.env()).containsEntry("TINYSCALE_OPENSEARCH_URL", url);

      assertThat(Probe.http("GET", url + "/", null).body())
          .contains("\"distribution\" : \"opensearch\"");
      Probe.Answer indexed =
          Probe.http("PUT", url + "/probe/_doc/1?refresh=true", "{\"word\":\"kept\"}");
      assertThat(indexed.status()).as(indexed.body()).isEqualTo(201);
      assertThat(Probe.http("GET", url + "/_cluster/health/probe", null).body())
          .as("one node, no replicas: green")
          .contains("\"status\":\"green\"");

      // The fault tests' case: the node stops under the application, then comes back.
      opensearch.stop();
      assertThat(opensearch.running()).isFalse();
      assertThat(Ports.isListening(port)).as("HTTP port while stopped").isFalse();
      opensearch.stop(); // stopping a stopped node does nothing
      begin = System.nanoTime();
      opensearch.start();
      System.out.printf(
          "the OpenSearch node restarted in %d ms%n", (System.nanoTime() - begin) / 1_000_000);
      assertThat(opensearch.running()).isTrue();
      assertThat(Probe.http("GET", url + "/probe/_doc/1", null).body())
          .as("the document indexed before the stop")
          .contains("\"word\":\"kept\"");

      // Another devstack, whose probe port is this node's, finds it and starts nothing.
      Path otherHome = Files.createDirectories(home.resolve("other"));
      Map<String, String> env = opensearchOnlyEnv();
      env.put("TINYSCALE_DEVSTACK_OPENSEARCH_PORT", Integer.toString(port));
      try (Engines other = DevStack.start(Options.of(otherHome, "tinyscale", env))) {
        assertThat(other.opensearch().origin()).isEqualTo(Origin.FOUND);
        assertThat(other.opensearchUrl()).isEqualTo(url);
        assertThat(other.opensearch().restartable()).isFalse();
        assertThatThrownBy(() -> other.opensearch().stop())
            .isInstanceOf(UnsupportedOperationException.class);
      }
      assertThat(otherHome.resolve("opensearch")).doesNotExist();
      assertThat(Ports.isListening(port)).as("a found node is not stopped").isTrue();
    }
    assertThat(Ports.isListening(port)).as("HTTP port after close").isFalse();
    assertThat(home.resolve("opensearch/opensearch.pid")).doesNotExist();
    assertThat(home.resolve("opensearch/node_1/data")).isDirectory();
    assertThat(home.resolve("opensearch.log")).content().contains("started");
  }

  @Test
  void usesTheNodeGivenByItsVariableAsIsAndStartsNothing(@TempDir Path home) throws IOException {
    Map<String, String> env = opensearchOnlyEnv();
    env.put("TINYSCALE_OPENSEARCH_URL", "https://search:secret@opensearch.example:9200");
    try (Engines engines = DevStack.start(Options.of(home, "tinyscale", env))) {
      assertThat(engines.opensearch().origin()).isEqualTo(Origin.GIVEN);
      assertThat(engines.opensearchUrl())
          .isEqualTo("https://search:secret@opensearch.example:9200");
      assertThat(engines.opensearch().endpoint())
          .isEqualTo("https://search:***@opensearch.example:9200");
      assertThat(engines.opensearch().restartable()).isFalse();
    }
    assertThat(home.resolve("opensearch")).doesNotExist();
  }

  @Test
  void refusesAListenerOnTheProbePortThatIsNotOpenSearch(@TempDir Path home) throws Exception {
    // What an Elasticsearch answers: no "distribution" in its version.
    String elasticsearch = "{\"version\":{\"number\":\"8.19.0\",\"build_flavor\":\"default\"}}";
    try (Probe.Impostor web =
        new Probe.Impostor(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + elasticsearch.length()
                + "\r\nConnection: close\r\n\r\n"
                + elasticsearch)) {
      Map<String, String> env = opensearchOnlyEnv();
      env.put("TINYSCALE_DEVSTACK_OPENSEARCH_PORT", Integer.toString(web.port()));
      assertThatThrownBy(() -> DevStack.start(Options.of(home, "tinyscale", env)))
          .isInstanceOf(DevStackException.class)
          .hasMessageContaining(
              "Something listens on http://127.0.0.1:"
                  + web.port()
                  + ", but it does not answer as an OpenSearch node (status 200)")
          .hasMessageContaining("set TINYSCALE_DEVSTACK_OPENSEARCH_PORT to a free port");
    }
    assertThat(home.resolve("opensearch")).doesNotExist();
  }

  @Test
  void saysWhatTheNodesLogSaysWhenItCannotStart(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("opensearch/node_1"));
    Files.writeString(
        home.resolve("opensearch/node_1/data"), "a file where the node's data directory belongs");
    Map<String, String> env = opensearchOnlyEnv();
    int port = Integer.parseInt(env.get("TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT"));
    assertThatThrownBy(() -> DevStack.start(Options.of(home, "tinyscale", env)))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("The OpenSearch node devstack started on 127.0.0.1:" + port)
        .hasMessageContaining("exited with status 1")
        .hasMessageContaining("its log " + home.resolve("opensearch.log") + " says: ")
        .hasMessageContaining("the OpenSearch node did not start: Failed to start node 1")
        .hasMessageContaining("/opensearch/node_1/data/nodes: Not a directory") // the cause
        .hasMessageContaining(home.resolve("opensearch/node_1/data").toString())
        .hasMessageContaining("set TINYSCALE_OPENSEARCH_URL to a running node");
    assertThat(Ports.isListening(port)).isFalse();
    assertThat(home.resolve("opensearch/opensearch.pid")).doesNotExist();
  }
}
