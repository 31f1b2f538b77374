package io.tinyscale.app.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.jboss.logging.Logger;

/**
 * The dashboard's files, held in memory: the Vite build in the tinyscale-dashboard jar (module
 * dashboard/), listed by its files.txt. Text files are gzipped once here, not per request.
 */
final class DashboardFiles {
  private static final Logger LOG = Logger.getLogger(DashboardFiles.class);
  static final String ROOT = "tinyscale-dashboard/";
  static final String INDEX = "index.html";

  /** Vite names what it builds under assets/ by a hash of the content: it never changes. */
  static final String HASHED = "public, max-age=31536000, immutable";

  /** Everything else (index.html above all) is asked for again, and answered 304 if unchanged. */
  static final String REVALIDATED = "no-cache";

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("woff2", "font/woff2"));

  /** One file: its bytes, gzipped when that is smaller (else null), and its headers. */
  record File(byte[] body, byte[] gzipped, String contentType, String cacheControl, String etag) {}

  private final Map<String, File> files;

  private DashboardFiles(Map<String, File> files) {
    this.files = Map.copyOf(files);
  }

  /** The build on the class path; none (every request 404) when the app was built without it. */
  static DashboardFiles fromClassPath(ClassLoader loader) {
    byte[] list = read(loader, ROOT + "files.txt");
    if (list == null) {
      LOG.warn(
          "The dashboard is not on the class path (no "
              + ROOT
              + "files.txt): /dashboard answers 404. Build it with the app (mvn package).");
      return new DashboardFiles(Map.of());
    }
    Map<String, File> files = new HashMap<>();
    for (String name : new String(list, StandardCharsets.UTF_8).split("\n")) {
      if (name.isBlank()) {
        continue;
      }
      byte[] body = read(loader, ROOT + name);
      if (body == null) {
        throw new IllegalStateException(
            "the dashboard's files.txt names " + name + ", which is not in the build");
      }
      files.put(name, file(name, body));
    }
    if (!files.containsKey(INDEX)) {
      throw new IllegalStateException("the dashboard's build has no " + INDEX);
    }
    return new DashboardFiles(files);
  }

  static File file(String name, byte[] body) {
    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = TYPES.getOrDefault(extension, "application/octet-stream");
    boolean text =
        type.startsWith("text/") || type.startsWith("image/svg") || type.contains("json");
    byte[] gzipped = text ? gzip(body) : null;
    return new File(
        body,
        gzipped != null && gzipped.length < body.length ? gzipped : null,
        type,
        name.startsWith("assets/") ? HASHED : REVALIDATED,
        etag(body));
  }

  /** A file by its path below /dashboard/, e.g. {@code assets/index-Ab12.js}. */
  Optional<File> get(String path) {
    return Optional.ofNullable(files.get(path));
  }

  Optional<File> index() {
    return get(INDEX);
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
