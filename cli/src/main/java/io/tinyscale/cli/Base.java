package io.tinyscale.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What every command reaches: its parsed arguments, output, --json, the server's API. */
abstract class Base implements Callable<Integer> {
  /** This command's model; set by {@link Specs#command}. */
  CommandSpec spec;

  Tinyscale root() {
    return (Tinyscale) spec.root().userObject();
  }

  /** The value of one of this command's options (its default when not given). */
  <T> T option(String name) {
    return spec.findOption(name).getValue();
  }

  boolean flag(String name) {
    return Boolean.TRUE.equals(spec.findOption(name).getValue());
  }

  /** The value of a positional parameter. */
  <T> T parameter(int index) {
    return spec.positionalParameters().get(index).getValue();
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
    return Charset.isSupported(encoding) && Charset.forName(encoding).newEncoder().canEncode('█');
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
