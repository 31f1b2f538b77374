package io.tinyscale.app.http;

/** Query parameters taken as text and checked here, so that a bad one is a 400 naming it. */
public final class QueryParams {
  private QueryParams() {}

  /** {@code value} as a whole number from {@code min} to {@code max}, else a 400 naming it. */
  public static int wholeNumber(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.invalid(name, "must be a whole number from " + min + " to " + max);
  }
}
