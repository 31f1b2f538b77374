package io.tinyscale.cli;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every command reaches through the root: output, --json, the server's API. */
abstract class Base implements Callable<Integer> {
  @Spec CommandSpec spec;

  Tinyscale root() {
    return (Tinyscale) spec.root().userObject();
  }

  PrintWriter out() {
    return root().env().out();
  }

  PrintWriter err() {
    return root().env().err();
  }

  boolean json() {
    return root().json();
  }

  Api api() {
    return root().api(spec.commandLine());
  }

  ZoneId zone() {
    return ZoneId.systemDefault();
  }

  /** Whether stdout's encoding can show characters beyond ASCII (not so under LANG=C). */
  boolean unicodeOut() {
    String encoding = System.getProperty("stdout.encoding", "");
    return java.nio.charset.Charset.isSupported(encoding)
        && java.nio.charset.Charset.forName(encoding).newEncoder().canEncode('█');
  }

  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Under --json, the server's body as it came; returns whether it was printed. */
  boolean printJson(Http.Response response) {
    if (json()) {
      out().println(response.body() == null ? "" : response.body().strip());
    }
    return json();
  }
}
