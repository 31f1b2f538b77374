package io.tinyscale.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenSearch: {@code TINYSCALE_OPENSEARCH_URL} as is; else the node on 127.0.0.1:9200 when it
 * answers as OpenSearch; else a one-node cluster devstack runs as a child process ({@link
 * OpenSearchNode}), which fault tests can stop and start again through {@link Engine#stop()} and
 * {@link Engine#start()}.
 */
final class OpenSearchProvisioner implements Provisioner {

  static final String URL = "TINYSCALE_OPENSEARCH_URL";

  /**
   * Where to look for a running node; tests point it at an unused port to have devstack start one.
   */
  static final String PROBE_PORT = "TINYSCALE_DEVSTACK_OPENSEARCH_PORT";

  static final String EMBEDDED_PORT = "TINYSCALE_DEVSTACK_EMBEDDED_OPENSEARCH_PORT";

  /**
   * JVM options for the node devstack starts, after its own (see {@link
   * OpenSearchNode#JVM_OPTIONS}), separated by white space.
   */
  static final String JVM_OPTIONS = "TINYSCALE_DEVSTACK_OPENSEARCH_OPTS";

  static final int DEFAULT_PORT = 9200;
  static final int DEFAULT_EMBEDDED_PORT = 29200;

  /**
   * Long enough for a busy node to answer, short enough not to stall {@code ./tinyscale up} on a
   * wrong one.
   */
  private static final Duration PROBE_WAIT = Duration.ofSeconds(5);

  /** What {@code GET /} of an OpenSearch node says, and Elasticsearch's does not. */
  private static final Pattern OPENSEARCH =
      Pattern.compile("\"distribution\"\\s*:\\s*\"opensearch\"");

  private static final Pattern SERVING = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow)\"");

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Local.PROBE_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  @Override
  public String name() {
    return "opensearch";
  }

  @Override
  public Optional<Provision> given(Options options) {
    return options.variable(URL).map(url -> Provision.untouched(engine(Origin.GIVEN, url, null)));
  }

  @Override
  public Optional<Provision> found(Options options) {
    int port = options.port(PROBE_PORT, DEFAULT_PORT);
    if (!Local.reachable(port)) {
      return Optional.empty();
    }
    // Something listens; only an OpenSearch node will do, not an Elasticsearch or whatever else
    // took the port (one with the security plugin speaks HTTPS and asks for credentials: give it).
    String url = url(port);
    String answer;
    try {
      HttpResponse<String> root = get(port, "/", PROBE_WAIT);
      answer = "status " + root.statusCode();
      if (root.statusCode() == 200 && OPENSEARCH.matcher(root.body()).find()) {
        return Optional.of(Provision.untouched(engine(Origin.FOUND, url, null)));
      }
    } catch (IOException e) {
      answer = Local.rootMessage(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("Interrupted while asking " + url + " whether it is OpenSearch.");
    }
    throw new DevStackException(
        "Something listens on "
            + url
            + ", but it does not answer as an OpenSearch node ("
            + answer
            + "). Stop it, or set "
            + URL
            + " to a running node (with its credentials, if it asks for them), or set "
            + PROBE_PORT
            + " to a free port to have devstack start a node of its own.");
  }

  @Override
  public Provision start(Options options) {
    int port = options.port(EMBEDDED_PORT, DEFAULT_EMBEDDED_PORT);
    OpenSearchNode node =
        ChildEngine.launch(new OpenSearchNode(options.home(), port, options.words(JVM_OPTIONS)));
    return new Provision(engine(Origin.STARTED, url(port), node), node, node::awaitReady);
  }

  @Override
  public boolean readyInBackground() {
    return true;
  }

  private Engine engine(Origin origin, String url, Engine.Control control) {
    return new Engine(name(), origin, Local.masked(url), Map.of(URL, url), control);
  }

  static String url(int port) {
    return "http://" + Local.HOST + ":" + port;
  }

  /**
   * Whether a node answers on 127.0.0.1:port with a cluster health of yellow or green: it has
   * elected itself, recovered its indices' primaries and serves reads and writes.
   */
  static boolean healthy(int port, Duration wait) {
    try {
      HttpResponse<String> health = get(port, "/_cluster/health", wait);
      return health.statusCode() == 200 && SERVING.matcher(health.body()).find();
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static HttpResponse<String> get(int port, String path, Duration wait)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url(port) + path)).timeout(wait).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
