package io.tinyscale.core;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** What a new password must satisfy; the one place the register and change flows ask. */
public final class PasswordRules {

  public static final int MIN_PASSWORD_LENGTH = 10;

  // Bounds the work done on hostile input before it is encoded or hashed. The limit that
  // usually binds is the next one.
  public static final int MAX_PASSWORD_LENGTH = 200;

  // bcrypt uses only the first 72 bytes of its input and silently ignores the rest, so a
  // longer password would be accepted with any ending. Rejecting it is honest; 72 UTF-8 bytes
  // can be as few as 18 characters of non-Latin script, hence the check in bytes.
  public static final int MAX_PASSWORD_BYTES = 72;

  private PasswordRules() {}

  /** Empty when the password is acceptable, else a sentence to show the user. */
  public static Optional<String> problem(String password) {
    if (password == null || password.isBlank()) {
      return Optional.of("a password is required");
    }
    if (password.length() > MAX_PASSWORD_LENGTH) {
      return Optional.of(
          "the password must be at most " + MAX_PASSWORD_LENGTH + " characters long");
    }
    if (password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
      return Optional.of(
          "the password must be at least " + MIN_PASSWORD_LENGTH + " characters long");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      return Optional.of(
          "the password must be at most "
              + MAX_PASSWORD_BYTES
              + " bytes in UTF-8 (72 plain ASCII characters, fewer with accented or non-Latin"
              + " letters), because longer passwords are cut off when they are hashed");
    }
    return Optional.empty();
  }
}
