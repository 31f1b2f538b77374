package io.tinyscale.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Turns an error answer (RFC 9457 problem+json, or anything else) into one sentence. */
final class Problems {
  static final String TYPE_PREFIX = "urn:tinyscale:problem:";

  private Problems() {}

  /**
   * The problem's kind, e.g. {@code validation}; null when the answer is not a TinyScale problem.
   */
  static String kind(Http.Response response) {
    String type = Json.text(response.json(), "type");
    return type != null && type.startsWith(TYPE_PREFIX)
        ? type.substring(TYPE_PREFIX.length())
        : null;
  }

  /**
   * "title: detail", where a validation problem's detail is every field error; a rate limit adds
   * when to retry; an answer without a problem document names its status.
   */
  static String sentence(Http.Response response) {
    JsonNode problem = response.json();
    String title = Json.text(problem, "title");
    String detail = Json.text(problem, "detail");
    List<String> fields = new ArrayList<>();
    for (JsonNode error : problem.path("errors")) {
      String field = Json.text(error, "field");
      String message = Json.text(error, "message");
      if (message != null) {
        fields.add(field == null ? message : field + ": " + message);
      }
    }
    String explanation = !fields.isEmpty() ? String.join("; ", fields) : detail;
    String sentence;
    if (title == null && explanation == null) {
      sentence =
          "the server answered "
              + response.status()
              + " "
              + reason(response.status())
              + " without an explanation";
    } else if (title == null || explanation == null || explanation.equals(title)) {
      sentence = title == null ? explanation : title;
    } else {
      sentence = title + ": " + explanation;
    }
    String retryAfter = response.header("Retry-After");
    if (response.status() == 429 && retryAfter != null) {
      sentence += " (retry in " + retryAfter + " s)";
    }
    return sentence;
  }

  static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 413 -> "Payload Too Large";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }
}
