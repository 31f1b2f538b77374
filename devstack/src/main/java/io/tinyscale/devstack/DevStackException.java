package io.tinyscale.devstack;

/**
 * An engine could not be provided. The message is a sentence for a person: what went wrong and what
 * to do about it; {@code main} prints it as is.
 */
public final class DevStackException extends RuntimeException {

  public DevStackException(String message) {
    super(message);
  }

  public DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
