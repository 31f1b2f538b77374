package io.tinyscale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path home;

  @Test
  void theKeyIsWrittenReadableByItsOwnerOnly() throws IOException {
    Config config = new Config(home.resolve("xdg/tinyscale/config"));
    config.save(new Config.Login("http://localhost:8080", "ts_secret", "me@example.com"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.file())))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(config.file().getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(config.file()))
        .contains("server=http://localhost:8080\n", "api-key=ts_secret\n");
    assertThat(config.load())
        .contains(new Config.Login("http://localhost:8080", "ts_secret", "me@example.com"));

    config.save(new Config.Login("https://sho.rt", "ts_other", null));
    assertThat(config.load()).contains(new Config.Login("https://sho.rt", "ts_other", null));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.file())))
        .isEqualTo("rw-------");
    try (var files = Files.list(config.file().getParent())) {
      assertThat(files).containsExactly(config.file()); // no temporary file left behind
    }
    config.delete();
    assertThat(config.load()).isEmpty();
  }

  @Test
  void theFileLivesUnderXdgConfigHomeElseHomeDotConfig() {
    assertThat(Config.of(env(Map.of("XDG_CONFIG_HOME", "/x/cfg", "HOME", "/home/me"))).file())
        .isEqualTo(Path.of("/x/cfg/tinyscale/config"));
    assertThat(Config.of(env(Map.of("HOME", "/home/me"))).file())
        .isEqualTo(Path.of("/home/me/.config/tinyscale/config"));
    // the XDG spec: a relative XDG_CONFIG_HOME is ignored
    assertThat(Config.of(env(Map.of("XDG_CONFIG_HOME", "rel", "HOME", "/home/me"))).file())
        .isEqualTo(Path.of("/home/me/.config/tinyscale/config"));
  }

  private static Environment env(Map<String, String> vars) {
    return new Environment(vars, System.in, null, null, Optional::empty);
  }
}
