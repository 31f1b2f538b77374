package io.tinyscale.core;

/** The verdict on a long URL: {@link UrlPolicy#check(String)}. */
public sealed interface UrlCheck {

  /** {@code url} is the normalised form: the one to store and redirect to. */
  record Accepted(String url) implements UrlCheck {}

  /** {@code reason} says what is wrong and what would be accepted; safe to show to the user. */
  record Rejected(String reason) implements UrlCheck {}
}
