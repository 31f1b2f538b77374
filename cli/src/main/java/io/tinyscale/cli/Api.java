package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The TinyScale API as the commands call it: authenticated requests, error answers as {@link
 * Failure}s.
 */
final class Api {
  private final Http http;
  private final String apiKey;
  private final String keySource;

  /**
   * @param apiKey the key to send, or null
   * @param keySource where the key came from, to name it when the server refuses it
   */
  Api(Http http, String apiKey, String keySource) {
    this.http = http;
    this.apiKey = apiKey;
    this.keySource = keySource;
  }

  String server() {
    return http.server().toString();
  }

  String apiKey() {
    return apiKey;
  }

  /** Any answer, authenticated with the API key when there is one. */
  Http.Response send(String method, String path, JsonNode body) {
    return apiKey == null
        ? http.send(method, path, body)
        : http.send(method, path, body, "Authorization", "Bearer " + apiKey);
  }

  /**
   * A stream of server-sent events, authenticated like {@link #send}; extra headers: name, value…
   */
  Http.Streamed stream(String path, String... headers) {
    return http.stream(path, withKey(headers));
  }

  /** A file (an image), authenticated like {@link #send}. */
  Http.Download download(String path) {
    return http.download(path, withKey());
  }

  /** The headers with the API key's, when there is a key. */
  private String[] withKey(String... headers) {
    if (apiKey == null) {
      return headers;
    }
    String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "Authorization";
    all[headers.length + 1] = "Bearer " + apiKey;
    return all;
  }

  /** Without the API key, with extra headers (name, value, …): login, health. */
  Http.Response sendAnonymous(String method, String path, JsonNode body, String... headers) {
    return http.send(method, path, body, headers);
  }

  /** A 2xx answer, else a refusal. */
  Http.Response call(String method, String path, JsonNode body) {
    return expectOk(send(method, path, body));
  }

  Http.Response expectOk(Http.Response response) {
    if (!response.ok()) {
      throw Failure.refused(sentence(response), response.body());
    }
    return response;
  }

  /** The problem as one sentence; a 401 says which key was refused and what to do. */
  String sentence(Http.Response response) {
    if (response.status() == 401 && "unauthorized".equals(Problems.kind(response))) {
      return apiKey == null
          ? "not logged in to "
              + server()
              + ": run 'tinyscale login' (or 'tinyscale register'),"
              + " or pass --api-key or set TINYSCALE_API_KEY"
          : "the server refused the API key from "
              + keySource
              + " (unknown or revoked): run"
              + " 'tinyscale login' for a new one, or pass a valid key with --api-key or TINYSCALE_API_KEY";
    }
    return Problems.sentence(response);
  }
}
