package io.tinyscale.app.http;

import java.util.List;
import java.util.Map;

/**
 * Thrown by any feature to answer with a problem document. Carries no stack trace: it is an
 * expected outcome, not a fault.
 */
public final class ProblemException extends RuntimeException {
  private final ProblemType kind;
  private final List<Problem.FieldError> errors;
  private final Map<String, String> headers;

  public ProblemException(ProblemType kind, String detail) {
    this(kind, detail, List.of(), Map.of());
  }

  public ProblemException(ProblemType kind, String detail, Map<String, String> headers) {
    this(kind, detail, List.of(), headers);
  }

  private ProblemException(
      ProblemType kind,
      String detail,
      List<Problem.FieldError> errors,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.kind = kind;
    this.errors = errors;
    this.headers = headers;
  }

  public static ProblemException invalid(List<Problem.FieldError> errors) {
    return new ProblemException(ProblemType.VALIDATION, null, List.copyOf(errors), Map.of());
  }

  public static ProblemException invalid(String field, String message) {
    return invalid(List.of(new Problem.FieldError(field, message)));
  }

  Problem toProblem(String instance) {
    return errors.isEmpty()
        ? Problem.of(kind, getMessage(), instance)
        : Problem.invalid(errors, instance);
  }

  Map<String, String> headers() {
    return headers;
  }
}
