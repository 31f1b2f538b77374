package io.tinyscale.devstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The JVM of an engine devstack runs as a child process (the Kafka broker, the OpenSearch node):
 * its command line, with a classpath of its own, and a class-data-sharing archive that takes about
 * a third off its start-up.
 *
 * <p>Classpath: the JVM that runs devstack may hold other versions of the engine's libraries (a
 * Quarkus test's does), so the engine gets the one Maven resolved at build time, listed in a
 * resource of devstack's jar (e.g. {@code kafka-broker.classpath}), behind a small jar holding its
 * main class alone.
 *
 * <p>Archive: loading and linking an engine's classes is a good part of its start. The first JVM to
 * run with a given JDK, classpath and options writes the classes it loaded to an archive when it
 * exits cleanly ({@code -XX:ArchiveClassesAtExit}); every later one maps them ({@code
 * -XX:SharedArchiveFile}). It lives in the user's cache directory, so tests with a fresh home each
 * benefit too, and is published by an atomic move, so a JVM never maps a half-written one. Its name
 * holds a digest of everything the JVM checks an archive against (jars with their sizes and times,
 * JDK, options): when any changes, a new one is made instead of a stale one being silently ignored.
 */
final class ChildJvm {

  /**
   * What differs from one child engine to another.
   *
   * @param name its directory under the home, its log and pid files, its cache directory: {@code
   *     kafka}
   * @param noun as a sentence names it: {@code Kafka broker}
   * @param mainClass the class its JVM runs; it must refer to nothing else of devstack, as it runs
   *     alone in the launcher jar
   * @param classpathResource the resource listing its libraries (see devstack/pom.xml)
   * @param embeddedPortVariable the variable that moves it to another port
   * @param givenVariable the variable that names a running one instead
   * @param instead what to do instead of starting one, after "or": {@code set
   *     TINYSCALE_KAFKA_BOOTSTRAP to a running broker}
   */
  record Kind(
      String name,
      String noun,
      Class<?> mainClass,
      String classpathResource,
      String embeddedPortVariable,
      String givenVariable,
      String instead) {}

  static final String JVM_OPTIONS_RESOURCE = "jvm.options";

  private static final Duration STALE_TEMP = Duration.ofHours(1);
  private static final Duration STALE_ARCHIVE = Duration.ofDays(7);

  private final Kind kind;
  private final Path cacheDir;
  private final List<Path> classpath;

  private ChildJvm(Kind kind, Path cacheDir, List<Path> classpath) {
    this.kind = kind;
    this.cacheDir = cacheDir;
    this.classpath = List.copyOf(classpath);
  }

  /**
   * Reads the engine's classpath and writes the launcher jar, into the user's cache directory or,
   * when that is not writable, into {@code fallbackDir}.
   */
  static ChildJvm prepare(Kind kind, Path fallbackDir) {
    List<Path> jars = engineClasspath(kind);
    Path dir = cacheDir(kind.name()).orElse(fallbackDir.resolve("jvm"));
    try {
      Files.createDirectories(dir);
      deleteStale(dir, kind.name());
      List<Path> classpath = new ArrayList<>();
      classpath.add(launcherJar(dir, kind.mainClass()));
      classpath.addAll(jars);
      return new ChildJvm(kind, dir, classpath);
    } catch (IOException e) {
      throw unwritable(kind, "the " + kind.noun() + "'s JVM in", dir, e);
    }
  }

  /**
   * One start of the engine: its command, and the archive its JVM writes at exit, if it writes one.
   */
  record Launch(List<String> command, Optional<Path> pendingArchive) {}

  /** The command that runs {@code mainArgs} with the engine's main class and {@code options}. */
  Launch launch(List<String> options, String... mainArgs) {
    Path archive = cacheDir.resolve(kind.name() + "-" + digest(options) + ".jsa");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    Optional<Path> pending = Optional.empty();
    if (Files.isRegularFile(archive)) {
      command.add("-XX:SharedArchiveFile=" + archive);
    } else {
      Path temp =
          cacheDir.resolve(
              archive.getFileName()
                  + "."
                  + ProcessHandle.current().pid()
                  + "."
                  + System.nanoTime()
                  + ".tmp");
      command.add("-XX:ArchiveClassesAtExit=" + temp);
      pending = Optional.of(temp);
    }
    // A JVM that cannot map an archive (another JDK's, say) runs without it; no need to say so in
    // the log.
    command.add("-Xlog:cds*=off");
    command.add("-Xlog:aot*=off");
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
    command.add(kind.mainClass().getName());
    command.addAll(Arrays.asList(mainArgs));
    return new Launch(List.copyOf(command), pending);
  }

  /**
   * After the engine's JVM has exited: publishes the archive it wrote if it exited cleanly (a JVM
   * killed while writing leaves a partial one), else deletes it.
   */
  void finish(Launch launch, boolean exitedCleanly) {
    launch
        .pendingArchive()
        .ifPresent(
            temp -> {
              String name = temp.getFileName().toString();
              Path archive =
                  temp.resolveSibling(name.substring(0, name.indexOf(".jsa.") + ".jsa".length()));
              try {
                if (exitedCleanly && Files.isRegularFile(temp) && Files.size(temp) > 0) {
                  moveAtomically(temp, archive);
                } else {
                  Files.deleteIfExists(temp);
                }
              } catch (IOException e) {
                // Only start-up time is at stake: the next start runs without an archive, and
                // makes one.
                deleteQuietly(temp);
              }
            });
  }

  private String digest(List<String> options) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      List<String> parts =
          new ArrayList<>(
              List.of(System.getProperty("java.home"), System.getProperty("java.vm.version")));
      parts.addAll(options);
      for (Path jar : classpath) {
        parts.add(jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis());
      }
      sha.update(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException | IOException e) {
      // Without a digest, no archive that could be stale: a name no archive has.
      return "unchecked-" + System.nanoTime();
    }
  }

  /** The flags every TinyScale JVM gets ({@link #sharedJvmOptions()}), then an engine's own. */
  static List<String> withSharedOptions(String... own) {
    List<String> options = new ArrayList<>(sharedJvmOptions());
    options.addAll(List.of(own));
    return List.copyOf(options);
  }

  /**
   * The repository's lib/jvm.options, copied into devstack's jar when it was built (see
   * devstack/pom.xml): java's argument-file syntax, '#' to the end of a line a comment, options
   * separated by white space.
   */
  static List<String> sharedJvmOptions() {
    try (InputStream in = ChildJvm.class.getResourceAsStream(JVM_OPTIONS_RESOURCE)) {
      if (in == null) {
        throw new DevStackException(
            "devstack was built without lib/jvm.options (resource "
                + JVM_OPTIONS_RESOURCE
                + "). Rebuild it: mvn -pl devstack package.");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(line -> line.replaceFirst("#.*", "").strip())
          .filter(line -> !line.isEmpty())
          .flatMap(line -> Arrays.stream(line.split("\\s+")))
          .toList();
    } catch (IOException e) {
      throw new DevStackException(
          "Cannot read lib/jvm.options from devstack's jar (" + Local.rootMessage(e) + ").", e);
    }
  }

  /** The jars Maven resolved for the engine when devstack was built (see devstack/pom.xml). */
  static List<Path> engineClasspath(Kind kind) {
    String text;
    try (InputStream in = ChildJvm.class.getResourceAsStream(kind.classpathResource())) {
      if (in == null) {
        throw new DevStackException(
            "devstack was built without the "
                + kind.noun()
                + "'s classpath (resource "
                + kind.classpathResource()
                + "). Rebuild it: mvn -pl devstack install.");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new DevStackException(
          "Cannot read the " + kind.noun() + "'s classpath (" + Local.rootMessage(e) + ").", e);
    }
    List<Path> jars =
        Arrays.stream(text.split(File.pathSeparator))
            .filter(s -> !s.isBlank())
            .map(Path::of)
            .toList();
    List<Path> missing = jars.stream().filter(jar -> !Files.isRegularFile(jar)).toList();
    if (!missing.isEmpty()) {
      throw new DevStackException(
          "The "
              + kind.noun()
              + "'s libraries are missing from the local Maven repository ("
              + missing.getFirst()
              + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : "")
              + "). Rebuild devstack, which downloads them: mvn -pl devstack install.");
    }
    return jars;
  }

  /** {@code $XDG_CACHE_HOME/tinyscale}, else {@code ~/.cache/tinyscale}, when it can be written. */
  private static Optional<Path> cacheDir(String name) {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    Path dir = base.resolve("tinyscale").resolve(name);
    try {
      Files.createDirectories(dir);
      return Files.isWritable(dir) ? Optional.of(dir) : Optional.empty();
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * A jar holding the engine's main class alone, named by a digest of its bytes and never
   * rewritten: the JVM checks an archive against the time and size of every jar, and would refuse a
   * directory on the classpath (devstack's classes are one in its own build).
   */
  private static Path launcherJar(Path dir, Class<?> mainClass) throws IOException {
    String entry = mainClass.getName().replace('.', '/') + ".class";
    byte[] bytes;
    try (InputStream in = ChildJvm.class.getClassLoader().getResourceAsStream(entry)) {
      if (in == null) {
        throw new IOException("class file " + entry + " not found");
      }
      bytes = in.readAllBytes();
    }
    Path jar = dir.resolve("launcher-" + sha256(bytes).substring(0, 16) + ".jar");
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    Path temp = Files.createTempFile(dir, ".launcher", ".tmp");
    try {
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      try (OutputStream file = Files.newOutputStream(temp);
          JarOutputStream out = new JarOutputStream(file, manifest)) {
        out.putNextEntry(new JarEntry(entry));
        out.write(bytes);
        out.closeEntry();
      }
      try {
        // Not over an existing one: another devstack may have made it meanwhile, and an archive may
        // refer to that one's time.
        Files.move(temp, jar, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException alreadyMade) {
        // fine: same bytes
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return jar;
  }

  /**
   * Temp files of JVMs that never exited cleanly, and archives unused for a week (an old JDK's).
   */
  private static void deleteStale(Path dir, String name) throws IOException {
    Instant now = Instant.now();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(dir, "{*.tmp," + name + "-*.jsa}")) {
      for (Path file : files) {
        FileTime modified = Files.getLastModifiedTime(file);
        Duration maxAge = file.toString().endsWith(".tmp") ? STALE_TEMP : STALE_ARCHIVE;
        FileTime accessed =
            file.toString().endsWith(".jsa") ? lastAccess(file, modified) : modified;
        if (accessed.toInstant().plus(maxAge).isBefore(now)) {
          deleteQuietly(file);
        }
      }
    }
  }

  private static FileTime lastAccess(Path file, FileTime fallback) {
    try {
      FileTime accessed = (FileTime) Files.getAttribute(file, "lastAccessTime");
      return accessed.compareTo(fallback) > 0 ? accessed : fallback;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return fallback;
    }
  }

  /** The engine cannot be prepared in {@code dir}: what to do about it, in one sentence. */
  static DevStackException unwritable(Kind kind, String what, Path dir, IOException cause) {
    return new DevStackException(
        "Cannot prepare "
            + what
            + " "
            + dir
            + " ("
            + Local.rootMessage(cause)
            + "). Make it writable, or "
            + kind.instead()
            + ".",
        cause);
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover in a cache directory
    }
  }
}
