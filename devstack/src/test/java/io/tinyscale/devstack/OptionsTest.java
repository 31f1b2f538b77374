package io.tinyscale.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {

  @Test
  void defaultsToDotTinyscaleTheTinyscaleDatabaseAndAnEnvFileInTheHome() {
    Options options = Options.fromEnv(Map.of());
    assertThat(options.home()).isEqualTo(Path.of(".tinyscale").toAbsolutePath());
    assertThat(options.database()).isEqualTo("tinyscale");
    assertThat(options.envFile()).isEqualTo(options.home().resolve("devstack.env"));
  }

  @Test
  void takesTheHomeFromTinyscaleHomeUnlessAnArgumentSaysOtherwise() {
    Map<String, String> env = Map.of("TINYSCALE_HOME", "/srv/ts");
    assertThat(Options.fromEnv(env).home()).isEqualTo(Path.of("/srv/ts"));
    assertThat(Options.fromEnv(env).envFile()).isEqualTo(Path.of("/srv/ts/devstack.env"));

    Options options =
        Options.fromArgs(
            List.of("--home=/tmp/h", "--database", "links", "--env-file", "/tmp/e.env"), env);
    assertThat(options.home()).isEqualTo(Path.of("/tmp/h"));
    assertThat(options.database()).isEqualTo("links");
    assertThat(options.envFile()).isEqualTo(Path.of("/tmp/e.env"));
  }

  @Test
  void rejectsUnknownArgumentsMissingValuesAndDatabaseNamesThatAreNotPlainIdentifiers() {
    assertThatThrownBy(() -> Options.fromArgs(List.of("--port", "1"), Map.of()))
        .hasMessageContaining("unknown argument '--port'");
    assertThatThrownBy(() -> Options.fromArgs(List.of("--home"), Map.of()))
        .hasMessageContaining("--home needs a value");
    assertThatThrownBy(() -> Options.fromArgs(List.of("--database", "x\"; drop"), Map.of()))
        .hasMessageContaining("is not allowed");
  }

  @Test
  void readsPortsFromVariablesAndSaysWhichOneIsWrong() {
    Options options =
        Options.fromEnv(
            Map.of("TINYSCALE_DEVSTACK_PG_PORT", "6543", "TINYSCALE_DEVSTACK_REDIS_PORT", "x"));
    assertThat(options.port("TINYSCALE_DEVSTACK_PG_PORT", 5432)).isEqualTo(6543);
    assertThat(options.port("TINYSCALE_DEVSTACK_EMBEDDED_PG_PORT", 54329)).isEqualTo(54329);
    assertThatThrownBy(() -> options.port("TINYSCALE_DEVSTACK_REDIS_PORT", 6379))
        .isInstanceOf(DevStackException.class)
        .hasMessage("TINYSCALE_DEVSTACK_REDIS_PORT must be a port number (1-65535), but is 'x'.");
  }

  @Test
  void writesTheEnvFileAsKeyValueLinesReadableByItsOwnerOnlyAndLeavesNoTempFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("sub/devstack.env");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TINYSCALE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/tinyscale?a=1&b=2");
    env.put("TINYSCALE_DB_PASSWORD", "");
    DevStack.writeEnvFile(file, env);
    DevStack.writeEnvFile(file, env); // replaces

    assertThat(Files.readAllLines(file))
        .containsExactly(
            "TINYSCALE_DB_URL=jdbc:postgresql://127.0.0.1:5432/tinyscale?a=1&b=2",
            "TINYSCALE_DB_PASSWORD=");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }
}
