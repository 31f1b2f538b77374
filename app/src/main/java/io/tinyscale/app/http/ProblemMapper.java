package io.tinyscale.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.tinyscale.app.platform.DatabaseFailures;
import io.tinyscale.app.platform.OpenSearchFailures;
import io.tinyscale.app.platform.Redis;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers. Every error leaves as
 * application/problem+json; nothing a client sends can produce a stack trace in a response.
 */
public class ProblemMapper {
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
  private final AllowedMethods allowed;

  ProblemMapper(AllowedMethods allowed) {
    this.allowed = allowed;
  }

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    Response.ResponseBuilder response = respond(e.toProblem(path(uri)));
    e.headers().forEach(response::header);
    return response.build();
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
    return respond(
            Problem.invalid(
                List.of(
                    new Problem.FieldError(
                        fieldPath(e), "unknown field; allowed: " + e.getKnownPropertyIds())),
                path(uri)))
        .build();
  }

  @ServerExceptionMapper
  public Response wrongType(MismatchedInputException e, UriInfo uri) {
    String expected =
        e instanceof InvalidFormatException f && f.getTargetType() != null
            ? f.getTargetType().getSimpleName()
            : e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName();
    if (e.getPath().isEmpty()) {
      return respond(Problem.of(ProblemType.MALFORMED_JSON, "expected a JSON object", path(uri)))
          .build();
    }
    return respond(
            Problem.invalid(
                List.of(new Problem.FieldError(fieldPath(e), "must be a " + expected)), path(uri)))
        .build();
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonProcessingException e, UriInfo uri) {
    return respond(Problem.of(ProblemType.MALFORMED_JSON, e.getOriginalMessage(), path(uri)))
        .build();
  }

  @ServerExceptionMapper
  public Response http(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    if (e.getCause() instanceof JsonProcessingException json) {
      return json instanceof MismatchedInputException m
          ? wrongType(m, uri)
          : malformedJson(json, uri);
    }
    ProblemType kind =
        switch (status) {
          case 401 -> ProblemType.UNAUTHORIZED;
          case 403 -> ProblemType.FORBIDDEN;
          case 404 -> ProblemType.NOT_FOUND;
          case 405 -> ProblemType.METHOD_NOT_ALLOWED;
          case 406 -> ProblemType.NOT_ACCEPTABLE;
          case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
          case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
          case 400 -> ProblemType.VALIDATION;
          default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.VALIDATION;
        };
    String detail =
        switch (kind) {
          case UNSUPPORTED_MEDIA_TYPE -> "send the body as application/json";
          case NOT_FOUND -> "no such resource";
          default -> e.getMessage();
        };
    Response.ResponseBuilder response = respond(Problem.of(kind, detail, path(uri)));
    if (kind == ProblemType.METHOD_NOT_ALLOWED) {
      String allow = e.getResponse().getHeaderString("Allow");
      allow = allow != null ? allow : allowed.forPath(path(uri));
      if (allow != null) {
        response.header("Allow", allow);
      }
    }
    return response.build();
  }

  @ServerExceptionMapper
  public Response redis(Redis.RedisUnavailableException e, UriInfo uri) {
    return unavailable("Redis", e, uri);
  }

  @ServerExceptionMapper
  public Response redis(io.lettuce.core.RedisException e, UriInfo uri) {
    return unavailable("Redis", e, uri);
  }

  @ServerExceptionMapper
  public Response openSearch(OpenSearchFailures.Unavailable e, UriInfo uri) {
    return unavailable("OpenSearch", e, uri);
  }

  @ServerExceptionMapper
  public Response kafka(org.apache.kafka.common.KafkaException e, UriInfo uri) {
    return unavailable("Kafka", e, uri);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (DatabaseFailures.isTransient(e)) {
      return unavailable("Postgres", e, uri);
    }
    if (root instanceof org.apache.kafka.common.KafkaException) {
      return unavailable("Kafka", e, uri);
    }
    LOG.errorf(e, "Unexpected error on %s", LogText.of(path(uri)));
    return respond(
            Problem.of(
                ProblemType.INTERNAL,
                "an unexpected error occurred; it has been logged",
                path(uri)))
        .build();
  }

  private Response unavailable(String dependency, Throwable e, UriInfo uri) {
    LOG.warnf(
        "%s unavailable on %s: %s", dependency, LogText.of(path(uri)), LogText.of(e.getMessage()));
    return respond(
            Problem.of(
                ProblemType.DEPENDENCY_UNAVAILABLE,
                dependency + " is unavailable; retry shortly",
                path(uri)))
        .header("Retry-After", "5")
        .build();
  }

  static Response.ResponseBuilder respond(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
  }

  private static String fieldPath(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String path(UriInfo uri) {
    return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
  }
}
