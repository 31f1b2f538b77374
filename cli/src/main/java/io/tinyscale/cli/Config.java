package io.tinyscale.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * The login that {@code register} and {@code login} store: {@code
 * ${XDG_CONFIG_HOME:-~/.config}/tinyscale/config}, mode 0600 in a 0700 directory, because it holds
 * an API key.
 */
final class Config {
  /** The server the key belongs to; the key is never sent anywhere else. */
  record Login(String server, String apiKey, String email) {}

  private final Path file;

  Config(Path file) {
    this.file = file;
  }

  static Config of(Environment env) {
    // XDG: a relative XDG_CONFIG_HOME is invalid and must be ignored
    Path base =
        env.var("XDG_CONFIG_HOME")
            .map(Path::of)
            .filter(Path::isAbsolute)
            .orElseGet(
                () -> Path.of(env.var("HOME").orElse(System.getProperty("user.home")), ".config"));
    return new Config(base.resolve("tinyscale").resolve("config"));
  }

  Path file() {
    return file;
  }

  Optional<Login> load() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      p.load(reader);
    } catch (IOException e) {
      throw Failure.local("cannot read " + file + ": " + e.getMessage(), e);
    }
    String server = p.getProperty("server");
    String key = p.getProperty("api-key");
    return server == null || key == null
        ? Optional.empty()
        : Optional.of(new Login(server, key, p.getProperty("email")));
  }

  void save(Login login) {
    String text =
        "# tinyscale CLI: written by 'tinyscale login' / 'register'. It holds an API key: keep it private.\n"
            + "server="
            + escape(login.server())
            + "\n"
            + "api-key="
            + escape(login.apiKey())
            + "\n"
            + (login.email() == null ? "" : "email=" + escape(login.email()) + "\n");
    Path dir = file.getParent();
    try {
      createPrivateDirectory(dir);
      // written whole to a private temporary file, then renamed: never a moment with a
      // readable or half-written key
      Path temp = Files.createTempFile(dir, ".config", ".tmp", privateFile());
      try {
        Files.writeString(temp, text);
        try {
          Files.move(
              temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw Failure.local("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw Failure.local("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Files.createDirectories(dir.getParent());
    try {
      Files.createDirectory(
          dir,
          posix()
              ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
              }
              : new FileAttribute<?>[0]);
    } catch (FileAlreadyExistsException raced) {
      // created meanwhile: fine
    }
  }

  private static FileAttribute<?>[] privateFile() {
    return posix()
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }

  private static boolean posix() {
    return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Properties escaping, only where a value needs it (so the file stays readable). */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }
}
