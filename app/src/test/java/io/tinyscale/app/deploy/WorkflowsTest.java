package io.tinyscale.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tinyscale.testkit.TinyscaleUp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The GitHub workflows (.github/), read as GitHub reads them (no runner exists here): CI runs the
 * README's test command with the Postgres and Redis the tests look for and the packages that {@code
 * ./tinyscale test} would install, plus the formatting check, a dependency audit and the
 * dashboard's lint and tests; a release builds the image, scans it before pushing it to GHCR with
 * SHA and semver tags, and attaches the SBOM; dependabot covers every ecosystem the project uses;
 * yamllint passes.
 */
class WorkflowsTest {
  private static final Path REPO = TinyscaleUp.REPO;
  private static final Path WORKFLOWS = REPO.resolve(".github/workflows");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path YAMLLINT = Path.of("/usr/bin/yamllint");

  private static JsonNode workflow(String name) throws IOException {
    return YAML.readTree(WORKFLOWS.resolve(name).toFile());
  }

  private static List<JsonNode> steps(JsonNode job) {
    List<JsonNode> steps = new ArrayList<>();
    job.path("steps").forEach(steps::add);
    return steps;
  }

  /** Every shell command of a job, one string. */
  private static String runs(JsonNode job) {
    return steps(job).stream()
        .map(step -> step.path("run").asText(""))
        .collect(Collectors.joining("\n"));
  }

  /** The steps of a job that use an action, by the action's name without its version. */
  private static List<JsonNode> using(JsonNode job, String action) {
    return steps(job).stream()
        .filter(step -> step.path("uses").asText("").startsWith(action + "@"))
        .toList();
  }

  private static Map<String, JsonNode> jobs(JsonNode workflow) {
    Map<String, JsonNode> jobs = new LinkedHashMap<>();
    workflow.path("jobs").properties().forEach(e -> jobs.put(e.getKey(), e.getValue()));
    return jobs;
  }

  /** The commands README.md gives in its quick start for running the tests. */
  private static List<String> readmeTestCommands() throws IOException {
    List<String> commands = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^(\\./tinyscale test)\\b")
            .matcher(Files.readString(REPO.resolve("README.md")));
    while (m.find()) {
      commands.add(m.group(1));
    }
    return commands;
  }

  @Test
  void theTestJobRunsTheReadmesTestCommandAsCiDoes() throws IOException {
    List<String> commands = readmeTestCommands();
    assertThat(commands).as("README.md's quick start names the test command").isNotEmpty();
    JsonNode test = jobs(workflow("ci.yml")).get("test");
    assertThat(test).as("ci.yml has a job named test").isNotNull();
    for (String command : commands) {
      assertThat(runs(test).lines().map(String::trim)).contains(command);
      assertThat(REPO.resolve(".ci/run")).content().contains("exec " + command);
    }
    // the engines the tests find on their default ports (devstack: user postgres, no password)
    JsonNode services = test.path("services");
    assertThat(services.path("postgres").path("image").asText()).startsWith("postgres:");
    assertThat(services.path("postgres").path("env").path("POSTGRES_HOST_AUTH_METHOD").asText())
        .isEqualTo("trust");
    assertThat(services.path("postgres").path("ports").toString()).contains("5432:5432");
    assertThat(services.path("redis").path("image").asText()).startsWith("redis:");
    assertThat(services.path("redis").path("ports").toString()).contains("6379:6379");
    assertThat(services.path("postgres").path("options").asText()).contains("--health-cmd");
    assertThat(services.path("redis").path("options").asText()).contains("--health-cmd");
    // JDK 25 and Node 20 with npm 11, as ./tinyscale and dashboard/npm.sh require
    assertThat(workflow("ci.yml").path("env").path("JAVA_VERSION").asText()).isEqualTo("25");
    assertThat(workflow("ci.yml").path("env").path("NODE_VERSION").asText()).isEqualTo("20");
    assertThat(
            using(test, "actions/setup-java").getFirst().path("with").path("distribution").asText())
        .isEqualTo("temurin");
    assertThat(runs(test)).contains("npm install -g npm@11");
  }

  /**
   * {@code ./tinyscale test} installs its Debian packages only as root, and the runner's user is
   * not: the job installs them first, every one (Chromium excepted: the runner image has one at
   * /usr/bin/chromium, and Ubuntu's chromium package is a snap).
   */
  @Test
  void theTestJobInstallsEveryPackageTheTinyscaleScriptWouldInstall() throws IOException {
    String script = Files.readString(REPO.resolve("tinyscale"));
    Matcher block = Pattern.compile("(?s)TEST_PACKAGES=\\((.*?)\\n\\)").matcher(script);
    assertThat(block.find()).as("./tinyscale lists its TEST_PACKAGES").isTrue();
    Set<String> packages = new TreeSet<>();
    Matcher entry = Pattern.compile("\"(\\S+) (\\S+)\"").matcher(block.group(1));
    while (entry.find()) {
      packages.add(entry.group(2));
    }
    assertThat(packages).contains("chromium", "nginx-light", "pgbouncer");
    packages.remove("chromium");
    JsonNode test = jobs(workflow("ci.yml")).get("test");
    String install =
        steps(test).stream()
            .map(step -> step.path("run").asText(""))
            .filter(run -> run.contains("apt-get install"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the test job installs packages with apt-get"));
    Set<String> installed =
        Stream.of(install.replace("\\\n", " ").split("\\s+")).collect(Collectors.toSet());
    assertThat(installed)
        .as("the test job installs every package of TEST_PACKAGES in ./tinyscale")
        .containsAll(packages);
    assertThat(install).as("no service started by the install").contains("policy-rc.d");
    assertThat(runs(test)).contains("/usr/bin/chromium --version");
  }

  @Test
  void ciChecksTheFormattingAuditsTheDependenciesAndLintsAndTestsTheDashboard() throws IOException {
    JsonNode ci = workflow("ci.yml");
    Map<String, JsonNode> jobs = jobs(ci);
    String all = jobs.values().stream().map(WorkflowsTest::runs).collect(Collectors.joining("\n"));
    assertThat(all).contains("spotless:check");
    // the dashboard: its lint (tsc and ESLint) and Vitest, through the script Maven uses too
    assertThat(all).contains("bash dashboard/npm.sh test");
    String scripts = Files.readString(REPO.resolve("dashboard/package.json"));
    JsonNode npmScripts = JSON.readTree(scripts).path("scripts");
    assertThat(npmScripts.path("test").asText())
        .startsWith("npm run lint &&")
        .contains("vitest run");
    assertThat(npmScripts.path("lint").asText())
        .contains("tsc --noEmit", "eslint --max-warnings=0");
    Matcher npmScript = Pattern.compile("dashboard/npm\\.sh (\\w[\\w-]*)").matcher(all);
    while (npmScript.find()) {
      assertThat(scripts).as("dashboard's npm scripts").contains("\"" + npmScript.group(1) + "\":");
    }
    // the audit: SBOMs from the Maven build, scanned, failing the job; the dashboard's packages
    JsonNode audit = jobs.get("audit");
    assertThat(runs(audit)).contains("cyclonedx-maven-plugin:makeBom").contains("npm audit");
    assertThat(Files.readString(REPO.resolve("pom.xml")))
        .as("the SBOM plugin's version is pinned in the parent pom")
        .containsPattern("cyclonedx-maven-plugin</artifactId><version>[0-9.]+</version>");
    List<JsonNode> scans = using(audit, "anchore/scan-action");
    assertThat(scans).isNotEmpty();
    for (JsonNode scan : scans) {
      JsonNode with = scan.path("with");
      assertThat(with.path("sbom").asText()).endsWith("target/bom.json");
      assertThat(with.path("fail-build").asBoolean()).as("the audit fails the job").isTrue();
      assertThat(with.path("severity-cutoff").asText()).isIn("high", "critical");
    }
    assertThat(scans)
        .extracting(scan -> scan.path("with").path("sbom").asText())
        .contains("app/target/bom.json");
    // Maven's and npm's downloads cached; reports and screenshots kept when the tests fail
    for (JsonNode job : jobs.values()) {
      using(job, "actions/setup-java")
          .forEach(s -> assertThat(s.path("with").path("cache").asText()).isEqualTo("maven"));
      using(job, "actions/setup-node")
          .forEach(s -> assertThat(s.path("with").path("cache").asText()).isEqualTo("npm"));
    }
    List<JsonNode> kept = using(jobs.get("test"), "actions/upload-artifact");
    assertThat(kept).isNotEmpty();
    assertThat(kept.getFirst().path("if").asText()).isEqualTo("failure()");
    assertThat(kept.getFirst().path("with").path("path").asText())
        .contains("surefire-reports", "failsafe-reports", "dashboard-screenshots");
    // every push and pull request (main and tags through release.yml, which calls this workflow)
    JsonNode on = ci.path("on");
    assertThat(on.has("pull_request")).isTrue();
    assertThat(on.has("push")).isTrue();
    assertThat(on.has("workflow_call")).isTrue();
    assertThat(on.path("push").path("branches-ignore").toString()).contains("main");
  }

  @Test
  void aReleaseRunsCiThenScansTheImageBeforePushingItToGhcrWithShaAndSemverTags()
      throws IOException {
    JsonNode release = workflow("release.yml");
    assertThat(release.path("on").path("push").path("branches").toString()).contains("main");
    assertThat(release.path("on").path("push").path("tags").toString()).contains("v*");
    Map<String, JsonNode> jobs = jobs(release);
    assertThat(jobs.get("ci").path("uses").asText()).isEqualTo("./.github/workflows/ci.yml");
    JsonNode image = jobs.get("image");
    assertThat(image.path("needs").asText()).isEqualTo("ci");
    assertThat(image.path("permissions").path("packages").asText()).isEqualTo("write");

    JsonNode meta = using(image, "docker/metadata-action").getFirst().path("with");
    String nameStep = runs(image);
    assertThat(meta.path("images").asText()).contains("steps.name.outputs.image");
    assertThat(nameStep).contains("ghcr.io/${GITHUB_REPOSITORY,,}");
    assertThat(meta.path("tags").asText()).contains("type=sha").contains("type=semver");
    JsonNode login = using(image, "docker/login-action").getFirst().path("with");
    assertThat(login.path("registry").asText()).isEqualTo("ghcr.io");
    assertThat(login.path("password").asText()).isEqualTo("${{ secrets.GITHUB_TOKEN }}");

    List<JsonNode> steps = steps(image);
    List<JsonNode> builds = using(image, "docker/build-push-action");
    JsonNode scan = using(image, "anchore/scan-action").getFirst();
    JsonNode push =
        builds.stream()
            .filter(b -> b.path("with").path("push").asBoolean())
            .findFirst()
            .orElseThrow(() -> new AssertionError("a build step pushes the image"));
    JsonNode scanned =
        builds.stream()
            .filter(b -> b.path("with").path("load").asBoolean())
            .findFirst()
            .orElseThrow(() -> new AssertionError("a build step loads the image for the scan"));
    assertThat(scan.path("with").path("image").asText())
        .isEqualTo(scanned.path("with").path("tags").asText());
    assertThat(scan.path("with").path("fail-build").asBoolean())
        .as("the scan fails the release")
        .isTrue();
    assertThat(scan.path("with").path("severity-cutoff").asText()).isEqualTo("critical");
    assertThat(steps.indexOf(scanned)).isLessThan(steps.indexOf(scan));
    assertThat(steps.indexOf(scan))
        .as("scanned before it is pushed")
        .isLessThan(steps.indexOf(push));
    assertThat(push.path("with").path("tags").asText()).isEqualTo("${{ steps.meta.outputs.tags }}");
    for (JsonNode build : builds) {
      assertThat(build.path("with").path("cache-from").asText()).isEqualTo("type=gha");
    }

    // the build arguments are the ones the Dockerfile declares, for both builds
    Set<String> declared = new LinkedHashSet<>();
    Matcher arg =
        Pattern.compile("(?m)^ARG (\\w+)").matcher(Files.readString(REPO.resolve("Dockerfile")));
    while (arg.find()) {
      declared.add(arg.group(1));
    }
    assertThat(declared).contains("VERSION", "REVISION", "CREATED", "SOURCE");
    for (JsonNode build : builds) {
      Set<String> given =
          build
              .path("with")
              .path("build-args")
              .asText()
              .lines()
              .map(line -> line.trim().split("=", 2)[0])
              .filter(name -> !name.isEmpty())
              .collect(Collectors.toSet());
      assertThat(given).isEqualTo(declared);
    }

    // the SBOMs: the app's from Maven (CI's audit job) and the image's, on the GitHub release
    assertThat(
            using(image, "actions/download-artifact").getFirst().path("with").path("name").asText())
        .isEqualTo("sbom");
    assertThat(using(image, "anchore/sbom-action").getFirst().path("with").path("format").asText())
        .isEqualTo("cyclonedx-json");
    assertThat(runs(image))
        .contains("gh release upload")
        .contains("tinyscale-app.cdx.json")
        .contains("tinyscale-image.cdx.json");
  }

  @Test
  void everyActionIsPinnedAndNoSecretIsWrittenIntoAWorkflow() throws IOException {
    Pattern secretKey = Pattern.compile("(?i).*(password|token|secret|api[-_]?key).*");
    try (Stream<Path> files = Files.list(WORKFLOWS)) {
      for (Path file : files.toList()) {
        JsonNode workflow = YAML.readTree(file.toFile());
        for (JsonNode job : jobs(workflow).values()) {
          for (JsonNode step : steps(job)) {
            String uses = step.path("uses").asText("");
            if (!uses.isEmpty() && !uses.startsWith("./")) {
              assertThat(uses)
                  .as(file + ": an action at a version")
                  .matches("[\\w.-]+/[\\w./-]+@v?[0-9][\\w.]*");
            }
            List<Map.Entry<String, JsonNode>> values = new ArrayList<>();
            step.path("with").properties().forEach(values::add);
            step.path("env").properties().forEach(values::add);
            for (Map.Entry<String, JsonNode> value : values) {
              if (secretKey.matcher(value.getKey()).matches()) {
                assertThat(value.getValue().asText())
                    .as(file + ": " + value.getKey())
                    .matches("\\$\\{\\{ (secrets\\.\\w+|github\\.token) }}");
              }
            }
          }
        }
      }
    }
  }

  @Test
  void dependabotCoversMavenNpmActionsAndEveryDockerfile() throws IOException {
    JsonNode dependabot = YAML.readTree(REPO.resolve(".github/dependabot.yml").toFile());
    assertThat(dependabot.path("version").asInt()).isEqualTo(2);
    Map<String, Set<String>> directories = new HashMap<>();
    for (JsonNode update : dependabot.path("updates")) {
      Set<String> dirs =
          directories.computeIfAbsent(
              update.path("package-ecosystem").asText(), k -> new TreeSet<>());
      if (update.has("directory")) {
        dirs.add(update.path("directory").asText());
      }
      update.path("directories").forEach(d -> dirs.add(d.asText()));
      assertThat(update.path("schedule").path("interval").asText()).isNotEmpty();
    }
    assertThat(directories).containsKeys("maven", "npm", "github-actions", "docker");
    assertThat(directories.get("maven")).contains("/");
    assertThat(directories.get("github-actions")).contains("/");
    // every npm lock file and every Dockerfile of the repository
    for (Path file : projectFiles()) {
      Path parent = REPO.relativize(file.getParent());
      String dir = parent.toString().isEmpty() ? "/" : "/" + parent;
      switch (file.getFileName().toString()) {
        case "package-lock.json" -> assertThat(directories.get("npm")).as("npm").contains(dir);
        case "Dockerfile" -> assertThat(directories.get("docker")).as("docker").contains(dir);
        default -> {}
      }
    }
  }

  /** The repository's own files: no build output, installed packages, git or local data. */
  private static List<Path> projectFiles() throws IOException {
    Set<String> skipped = Set.of("node_modules", "target", ".git", ".tinyscale");
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        REPO,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return skipped.contains(String.valueOf(dir.getFileName()))
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            files.add(file);
            return FileVisitResult.CONTINUE;
          }
        });
    return files;
  }

  @Test
  void yamllintPassesOnTheWorkflows() throws IOException, InterruptedException {
    assertThat(YAMLLINT)
        .as("yamllint checks the workflows: apt-get install yamllint (./tinyscale test does)")
        .isExecutable();
    Process lint =
        new ProcessBuilder(YAMLLINT.toString(), "--strict", ".github")
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(lint.exitValue())
        .as("yamllint --strict .github (config: .yamllint.yaml)\n" + output)
        .isZero();
  }
}
