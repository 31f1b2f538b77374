package io.tinyscale.app.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code tinyscale_http_connections}: established TCP connections to this process's HTTP port,
 * counted from the kernel's socket tables ({@code /proc/net/tcp}, {@code tcp6}) when metrics are
 * scraped. Counting them in the server instead would take Vert.x's metrics hooks, which run on
 * every request, the redirect's included. On systems without those tables the gauge is absent.
 */
@Singleton
@Startup
class HttpConnections {
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final String ESTABLISHED = "01";

  HttpConnections(MeterRegistry meters) {
    if (Files.isReadable(TABLES.getFirst())) {
      Gauge.builder("tinyscale_http_connections", HttpConnections::established)
          .description("Established TCP connections to the HTTP port")
          .register(meters);
    }
  }

  private static double established() {
    int port = port();
    if (port <= 0) {
      return Double.NaN;
    }
    String local = String.format(":%04X", port);
    long count = 0;
    for (Path table : TABLES) {
      if (!Files.isReadable(table)) {
        continue;
      }
      try (BufferedReader lines = Files.newBufferedReader(table)) {
        lines.readLine(); // the header
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          // "  sl  local_address rem_address   st ...": "0: 0100007F:1F90 0100007F:9C4E 01 ..."
          String[] fields = line.trim().split("\\s+", 5);
          if (fields.length >= 4 && fields[3].equals(ESTABLISHED) && fields[1].endsWith(local)) {
            count++;
          }
        }
      } catch (IOException e) {
        return Double.NaN;
      }
    }
    return count;
  }

  /** The port the server listens on: Quarkus publishes the one it chose for port 0. */
  private static int port() {
    String key =
        LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
    String chosen = System.getProperty(key);
    if (chosen != null) {
      return Integer.parseInt(chosen);
    }
    return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(0);
  }
}
