package io.tinyscale.cli;

/**
 * Why a command stopped, as one sentence for people and an exit status for scripts; {@code json} is
 * the server's error body, printed on stdout under {@code --json}.
 */
final class Failure extends RuntimeException {
  private final int exitCode;
  private final String json;

  private Failure(int exitCode, String sentence, String json, Throwable cause) {
    super(sentence, cause, false, false);
    this.exitCode = exitCode;
    this.json = json;
  }

  /** The server answered, and the answer is no. */
  static Failure refused(String sentence, String json) {
    return new Failure(ExitCodes.REFUSED, sentence, json, null);
  }

  /** A local step failed (e.g. the config file could not be written). */
  static Failure local(String sentence, Throwable cause) {
    return new Failure(ExitCodes.REFUSED, sentence, null, cause);
  }

  static Failure unreachable(String sentence, Throwable cause) {
    return new Failure(ExitCodes.UNREACHABLE, sentence, null, cause);
  }

  int exitCode() {
    return exitCode;
  }

  String json() {
    return json;
  }
}
