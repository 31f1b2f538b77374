package io.tinyscale.bench.jmh;

import io.tinyscale.app.http.RequestPaths;
import io.tinyscale.core.Aliases;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The redirect's first step: the code out of the request path and the gate that decides whether it
 * may be a link at all ({@code RedirectHandler.handle}).
 */
@State(Scope.Thread)
public class CodeValidationBenchmark {
  // fields, not constants, so the JIT cannot fold the answer
  String code = "/aB3dE9x";
  String longAlias = "/spring-sale-2026-newsletter-landing-page";
  String reserved = "/dashboard";

  @Benchmark
  public boolean code() {
    return Aliases.looksLikeCode(RequestPaths.codeOf(code));
  }

  @Benchmark
  public boolean longAlias() {
    return Aliases.looksLikeCode(RequestPaths.codeOf(longAlias));
  }

  @Benchmark
  public boolean reservedWord() {
    return Aliases.looksLikeCode(RequestPaths.codeOf(reserved));
  }
}
