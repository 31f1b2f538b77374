package io.tinyscale.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The exit statuses of every command; scripts rely on them, so they never change meaning. */
final class ExitCodes {
  static final int OK = 0;

  /** The server answered with an error (4xx/5xx), or is not ready. */
  static final int REFUSED = 1;

  /** The command line is wrong: unknown command or option, missing or invalid argument. */
  static final int USAGE = 2;

  /** No answer from the server: connection refused, unknown host, timeout, TLS failure. */
  static final int UNREACHABLE = 3;

  private ExitCodes() {}

  static Map<String, String> forHelp() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put("0", "done");
    codes.put("1", "the server said no (an error answer, 4xx/5xx), or it is not ready");
    codes.put("2", "usage error: unknown command or option, missing or invalid argument");
    codes.put("3", "the server is unreachable (refused, unknown host, timeout, TLS)");
    return codes;
  }
}
