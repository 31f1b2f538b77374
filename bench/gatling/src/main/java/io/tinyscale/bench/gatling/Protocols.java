package io.tinyscale.bench.gatling;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/** The protocol every simulation starts from: the target, no redirect followed, JSON asked for. */
final class Protocols {
  private Protocols() {}

  static HttpProtocolBuilder base() {
    return http.baseUrl(LoadSettings.url())
        .disableFollowRedirect()
        .acceptHeader("application/json")
        .contentTypeHeader("application/json");
  }
}
