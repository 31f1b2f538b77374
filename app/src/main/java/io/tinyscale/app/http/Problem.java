package io.tinyscale.app.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem document; the only error body TinyScale sends. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
    description =
        "An RFC 9457 problem document; type is stable (urn:tinyscale:problem:<kind>, docs/api.md),"
            + " title and detail are for people",
    requiredProperties = {"type", "title", "status"})
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {
  public static final String MEDIA_TYPE = "application/problem+json";

  /** One invalid field of the request: its JSON name and what is wrong with it. */
  public record FieldError(String field, String message) {}

  public static Problem of(ProblemType kind, String detail, String instance) {
    return new Problem(kind.uri(), kind.title(), kind.status(), detail, instance, null);
  }

  public static Problem invalid(List<FieldError> errors, String instance) {
    String detail =
        errors.size() == 1
            ? errors.getFirst().field() + ": " + errors.getFirst().message()
            : errors.size() + " fields are invalid";
    ProblemType kind = ProblemType.VALIDATION;
    return new Problem(
        kind.uri(), kind.title(), kind.status(), detail, instance, List.copyOf(errors));
  }
}
