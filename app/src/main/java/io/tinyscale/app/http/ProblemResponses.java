package io.tinyscale.app.http;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The error answers of the OpenAPI document, each a problem document: the named responses that
 * operations refer to ({@code @APIResponse(responseCode = "404", ref =
 * ProblemResponses.NOT_FOUND)}), and the two that the API gate gives on every /api route, added
 * here once rather than on each operation: 429 (rate limits) everywhere, 401 wherever the operation
 * is not public (a public one declares {@code @SecurityRequirements}, no requirement).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {
  static final String SCHEMA = "Problem";
  public static final String INVALID = "Invalid";
  public static final String UNAUTHORIZED = "Unauthorized";
  public static final String FORBIDDEN = "Forbidden";
  public static final String NOT_FOUND = "NotFound";
  public static final String CONFLICT = "Conflict";
  public static final String RATE_LIMITED = "RateLimited";
  public static final String UNAVAILABLE = "Unavailable";

  private static final Map<String, String> DESCRIPTIONS =
      Map.of(
          INVALID,
          "The request is not valid: a field, a parameter or the JSON itself (types validation,"
              + " malformed-json); errors lists the fields",
          UNAUTHORIZED,
          "No valid API key or session (type unauthorized; invalid-credentials from login)",
          FORBIDDEN,
          "The caller is not an admin (type forbidden)",
          NOT_FOUND,
          "No such resource, or another account's (types not-found, link-not-found)",
          CONFLICT,
          "The request conflicts with the current state; the type says how (alias-taken,"
              + " email-taken, too-many-keys, replay-in-progress)",
          RATE_LIMITED,
          "Too many requests (type rate-limited), or too many live streams open"
              + " (too-many-streams); Retry-After says when to try again",
          UNAVAILABLE,
          "A service this answer needs is away (type dependency-unavailable); Retry-After says"
              + " when to try again");

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    DESCRIPTIONS.keySet().stream()
        .sorted()
        .forEach(
            name -> openApi.getComponents().addResponse(name, problem(DESCRIPTIONS.get(name))));
    openApi
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) -> {
              if (path.startsWith("/api/")) {
                item.getOperations().values().forEach(ProblemResponses::addGateAnswers);
              }
            });
  }

  private static void addGateAnswers(Operation operation) {
    APIResponses responses = operation.getResponses();
    boolean isPublic = operation.getSecurity() != null && operation.getSecurity().isEmpty();
    if (!isPublic && !responses.hasAPIResponse("401")) {
      responses.addAPIResponse("401", ref(UNAUTHORIZED));
    }
    if (!responses.hasAPIResponse("429")) {
      responses.addAPIResponse("429", ref(RATE_LIMITED));
    }
  }

  private static APIResponse ref(String name) {
    return OASFactory.createAPIResponse().ref(name);
  }

  private static APIResponse problem(String description) {
    return OASFactory.createAPIResponse()
        .description(description)
        .content(
            OASFactory.createContent()
                .addMediaType(
                    Problem.MEDIA_TYPE,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA))));
  }
}
