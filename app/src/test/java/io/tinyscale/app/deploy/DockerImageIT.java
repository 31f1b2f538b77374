package io.tinyscale.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.TinyscaleUp;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, read as an engine would (no engine runs here): a build stage and a runtime stage,
 * the runtime's user without privileges, its health check and JVM flags, and every path it copies
 * present, from the build context (not left out by .dockerignore) or, after the build, from the
 * build stage (mapped from {@code /src} to this checkout: an integration test, so after {@code mvn
 * package}).
 */
class DockerImageIT {
  private static final Path REPO = TinyscaleUp.REPO;
  private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?$");
  private static final Pattern COPY =
      Pattern.compile("^COPY\\s+(?:--from=(\\S+)\\s+)?(.+?)\\s+(\\S+)$");

  record Stage(String image, String name, List<String> instructions) {}

  /** The instructions by stage, continuation lines joined, comments dropped. */
  static List<Stage> stages() throws IOException {
    List<Stage> stages = new ArrayList<>();
    String joined =
        Files.readString(REPO.resolve("Dockerfile"))
            .replaceAll("(?m)^\\s*#.*\\n", "")
            .replace("\\\n", " ");
    for (String raw : joined.split("\n")) {
      String line = raw.trim().replaceAll("\\s+", " ");
      if (line.isEmpty()) {
        continue;
      }
      Matcher from = FROM.matcher(line);
      if (from.matches()) {
        stages.add(new Stage(from.group(1), from.group(2), new ArrayList<>()));
      } else {
        stages.getLast().instructions().add(line);
      }
    }
    return stages;
  }

  @Test
  void aBuildStageAndARuntimeStageThatRunsUnprivilegedWithAHealthCheck() throws IOException {
    List<Stage> stages = stages();
    assertThat(stages).extracting(Stage::name).contains("build", "runtime");
    Stage runtime = stages.getLast();
    assertThat(runtime.name()).as("the last stage is the image").isEqualTo("runtime");
    assertThat(runtime.image()).as("a JRE 25, not a JDK").matches(".*:25-jre.*");
    String user =
        runtime.instructions().stream()
            .filter(i -> i.startsWith("USER "))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(user.substring(5).split(":")[0])
        .as("a numeric, non-root user")
        .matches("[1-9][0-9]{3,}");
    assertThat(runtime.instructions())
        .anyMatch(i -> i.startsWith("HEALTHCHECK ") && i.contains("/health/live"));
    String entry =
        runtime.instructions().stream()
            .filter(i -> i.startsWith("ENTRYPOINT "))
            .findFirst()
            .orElseThrow();
    assertThat(entry)
        .contains("@/opt/tinyscale/jvm/shared.options", "@/opt/tinyscale/jvm/app.options");
    assertThat(runtime.instructions())
        .as("container-aware memory")
        .anyMatch(i -> i.startsWith("ENV ") && i.contains("MaxRAMPercentage"));
    assertThat(runtime.instructions())
        .anyMatch(i -> i.startsWith("LABEL ") && i.contains("org.opencontainers.image.revision"));
    assertThat(runtime.instructions())
        .anyMatch(i -> i.startsWith("VOLUME ") && i.contains("/var/lib/tinyscale"));
  }

  @Test
  void everyPathTheDockerfileCopiesExists() throws IOException {
    List<PathMatcher> ignored = new ArrayList<>();
    List<PathMatcher> kept = new ArrayList<>();
    for (String rule : Files.readAllLines(REPO.resolve(".dockerignore"))) {
      rule = rule.trim();
      if (rule.isEmpty() || rule.startsWith("#")) {
        continue;
      }
      boolean keep = rule.startsWith("!");
      String glob = keep ? rule.substring(1) : rule;
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      (keep ? kept : ignored).add(matcher);
    }
    int copies = 0;
    for (Stage stage : stages()) {
      for (String instruction : stage.instructions()) {
        Matcher copy = COPY.matcher(instruction);
        if (!copy.matches()) {
          continue;
        }
        String from = copy.group(1);
        for (String source : copy.group(2).split(" ")) {
          copies++;
          if (from == null) {
            Path path = Path.of(source.replaceAll("/$", ""));
            assertThat(REPO.resolve(path)).as("COPY " + source + " (build context)").exists();
            boolean excluded = false;
            for (Path p = path; p != null; p = p.getParent()) {
              Path q = p;
              excluded |= ignored.stream().anyMatch(m -> m.matches(q));
            }
            boolean reincluded = kept.stream().anyMatch(m -> m.matches(path));
            assertThat(excluded && !reincluded)
                .as(source + " is left out by .dockerignore")
                .isFalse();
          } else if ("build".equals(from)) {
            assertThat(source).startsWith("/");
            Path built =
                source.startsWith("/src/")
                    ? REPO.resolve(source.substring("/src/".length()))
                    : null;
            if (built != null) {
              assertThat(built).as("COPY --from=build " + source + " (after mvn package)").exists();
            } else {
              assertThat(stages())
                  .as(source + " is made by the build stage")
                  .anySatisfy(
                      s ->
                          assertThat(String.join("\n", s.instructions()))
                              .contains(source.replaceAll("/$", "")));
            }
          }
        }
      }
    }
    assertThat(copies).isGreaterThan(10);
    // the jars the build stage moves apart are TinyScale's own, present after the build
    try (var jars = Files.list(REPO.resolve("app/target/quarkus-app/lib/main"))) {
      assertThat(
              jars.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("io.tinyscale.")))
          .isNotEmpty();
    }
    assertThat(Arrays.asList("lib/jvm.options", "app/jvm.options"))
        .allSatisfy(f -> assertThat(REPO.resolve(f)).isRegularFile());
  }
}
