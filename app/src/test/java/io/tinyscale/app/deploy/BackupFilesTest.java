package io.tinyscale.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tinyscale.testkit.TinyscaleUp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/backup as shipped: the scripts pass shellcheck and refuse bad usage; the CronJob, as
 * {@code kubectl kustomize} renders it, runs the committed scripts in a postgres image at least as
 * new as compose's Postgres (pg_dump must be the server's major version or newer), one at a time,
 * non-root on a read-only root filesystem, with its credentials from a Secret. The restore drill
 * itself is BackupRestoreIT.
 */
class BackupFilesTest {
  private static final Path REPO = TinyscaleUp.REPO;
  private static final Path DIR = REPO.resolve("deploy/backup");
  private static final List<String> SCRIPTS = List.of("backup.sh", "restore.sh", "pgenv.sh");

  @Test
  void theScriptsPassShellcheckAndRefuseBadUsage() throws Exception {
    List<String> command = new ArrayList<>(List.of("shellcheck", "-x"));
    SCRIPTS.forEach(s -> command.add("deploy/backup/" + s));
    Result shellcheck = run(command.toArray(String[]::new));
    assertThat(shellcheck.exit()).as(shellcheck.output()).isZero();

    assertThat(run("deploy/backup/backup.sh", "--keep", "many").exit()).isEqualTo(2);
    assertThat(run("deploy/backup/backup.sh", "--bogus").exit()).isEqualTo(2);
    assertThat(run("deploy/backup/restore.sh").exit()).isEqualTo(2);
    Result missing = run("deploy/backup/restore.sh", "no-such.dump");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.output()).contains("cannot read no-such.dump");
    assertThat(run("deploy/backup/backup.sh", "--help").output()).contains("BACKUP_UPLOAD_CMD");
  }

  @Test
  void theCronJobRunsTheCommittedScriptsAsDeployed() throws Exception {
    Result rendered = run("kubectl", "kustomize", "deploy/backup");
    assertThat(rendered.exit())
        .as("kubectl kustomize deploy/backup (kubectl 1.21+ is needed): " + rendered.output())
        .isZero();
    List<JsonNode> docs =
        new ObjectMapper(new YAMLFactory())
            .readerFor(JsonNode.class)
            .<JsonNode>readValues(rendered.output())
            .readAll();
    JsonNode cron = only(docs, "CronJob");
    JsonNode scripts = only(docs, "ConfigMap");
    JsonNode claim = only(docs, "PersistentVolumeClaim");

    assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
    assertThat(cron.at("/spec/timeZone").asText()).isEqualTo("Etc/UTC");
    JsonNode pod = cron.at("/spec/jobTemplate/spec/template/spec");
    assertThat(pod.get("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.get("containers")).hasSize(1);
    JsonNode container = pod.get("containers").get(0);
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
    assertThat(container.at("/command/0").asText()).isEqualTo("/opt/backup/backup.sh");

    // pg_dump of the image's Postgres must be able to dump compose's
    assertThat(major(container.get("image").asText(), "postgres:(\\d+)"))
        .isGreaterThanOrEqualTo(
            major(Files.readString(REPO.resolve("compose.yaml")), "image: postgres:(\\d+)"));

    // no credential in the file: the password comes from a Secret
    for (JsonNode env : container.get("env")) {
      if (env.get("name").asText().matches(".*(PASSWORD|SECRET|TOKEN).*")) {
        assertThat(env.has("value")).as(env.toString()).isFalse();
        assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).isNotEmpty();
      }
    }

    // the scripts mounted are the committed ones, executable
    for (String script : SCRIPTS) {
      assertThat(scripts.at("/data/" + script).asText())
          .isEqualTo(Files.readString(DIR.resolve(script)));
    }
    String configMap = scripts.at("/metadata/name").asText();
    JsonNode volumes = pod.get("volumes");
    List<String> mounted = new ArrayList<>();
    for (JsonNode volume : volumes) {
      if (volume.has("configMap")) {
        mounted.add(volume.at("/configMap/name").asText());
        assertThat(volume.at("/configMap/defaultMode").asInt()).isEqualTo(0555);
      }
      if (volume.has("persistentVolumeClaim")) {
        assertThat(volume.at("/persistentVolumeClaim/claimName").asText())
            .isEqualTo(claim.at("/metadata/name").asText());
      }
    }
    assertThat(mounted).containsExactly(configMap);
    assertThat(pod.at("/containers/0/volumeMounts").findValuesAsText("mountPath"))
        .contains("/opt/backup", "/backups", "/tmp");
  }

  private static JsonNode only(List<JsonNode> docs, String kind) {
    List<JsonNode> found = docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    assertThat(found).as(kind).hasSize(1);
    return found.getFirst();
  }

  private static int major(String text, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(text);
    assertThat(m.find()).as(pattern + " in " + text.lines().findFirst().orElse("")).isTrue();
    return Integer.parseInt(m.group(1));
  }

  record Result(int exit, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
    // the scripts must not reach a database of the caller's here
    builder.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("TINYSCALE_"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
