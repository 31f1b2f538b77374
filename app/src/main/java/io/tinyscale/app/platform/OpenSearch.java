package io.tinyscale.app.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * The OpenSearch client every feature shares (TINYSCALE_OPENSEARCH_URL): the search indexer, the
 * analytics and search API, index maintenance. OpenSearch is optional for correctness: Postgres
 * holds every click, so a request that cannot reach OpenSearch fails within {@link
 * #CONNECT_TIMEOUT_MS} and its caller degrades (Postgres histograms, 503 with Retry-After).
 */
@ApplicationScoped
public class OpenSearch {
  static final int CONNECT_TIMEOUT_MS = 1_000;
  static final int RESPONSE_TIMEOUT_MS = 30_000;

  private final ApacheHttpClient5Transport transport;
  private final OpenSearchClient client;
  private final String url;

  OpenSearch(Settings settings, ObjectMapper json) {
    this.url = settings.opensearchUrl();
    HttpHost host;
    try {
      host = HttpHost.create(URI.create(url));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TINYSCALE_OPENSEARCH_URL is not a URL: " + url, e);
    }
    transport =
        ApacheHttpClient5TransportBuilder.builder(host)
            .setMapper(new JacksonJsonpMapper(json))
            .setRequestConfigCallback(
                config ->
                    config
                        .setConnectTimeout(Timeout.ofMilliseconds(CONNECT_TIMEOUT_MS))
                        .setResponseTimeout(Timeout.ofMilliseconds(RESPONSE_TIMEOUT_MS))
                        .setConnectionRequestTimeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            .build();
    client = new OpenSearchClient(transport);
  }

  /** The typed client, for calls whose failures the caller handles itself. */
  OpenSearchClient client() {
    return client;
  }

  /** A request to OpenSearch through the typed client. */
  @FunctionalInterface
  public interface Call<T> {
    T on(OpenSearchClient client) throws IOException;
  }

  /**
   * Runs the call; when OpenSearch cannot be reached or cannot do the work now (429, 5xx) throws
   * {@link OpenSearchFailures.Unavailable}, which the API answers with 503 and Retry-After and the
   * indexer with a retry of its batch.
   */
  public <T> T call(Call<T> call) {
    try {
      return call.on(client);
    } catch (IOException e) {
      throw new OpenSearchFailures.Unavailable("OpenSearch at " + url + ": " + e.getMessage(), e);
    } catch (OpenSearchException e) {
      if (OpenSearchFailures.isTransientStatus(e.status())) {
        throw new OpenSearchFailures.Unavailable("OpenSearch at " + url + ": " + e.getMessage(), e);
      }
      throw e;
    }
  }

  /** Where OpenSearch is, for messages and the admins' health details. */
  public String url() {
    return url;
  }

  /**
   * Sends a JSON document kept under {@code opensearch/} in the app's resources (an index template,
   * a mapping) to {@code method path}: such documents are easier to read, and to copy into the
   * docs, as JSON than as client builders. Throws with OpenSearch's answer when it is not a 2xx.
   */
  public void sendResource(String method, String path, String resource) {
    String body;
    try (InputStream in = OpenSearch.class.getResourceAsStream("/opensearch/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource opensearch/" + resource);
      }
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    call(
        c -> {
          try (Response response =
              c.generic()
                  .execute(Requests.builder().method(method).endpoint(path).json(body).build())) {
            if (OpenSearchFailures.isTransientStatus(response.getStatus())) {
              throw new OpenSearchFailures.Unavailable(
                  method + " " + path + " answered " + response.getStatus());
            }
            if (response.getStatus() / 100 != 2) {
              String answer = response.getBody().map(b -> b.bodyAsString()).orElse("(no body)");
              throw new IllegalStateException(
                  method + " " + path + " answered " + response.getStatus() + ": " + answer);
            }
            return null;
          }
        });
  }

  void close(@Observes ShutdownEvent event) throws IOException {
    transport.close();
  }
}
