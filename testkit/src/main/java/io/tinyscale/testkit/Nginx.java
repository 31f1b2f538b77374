package io.tinyscale.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Debian's nginx with the repository's configuration (deploy/nginx) in front of app processes on
 * 127.0.0.1, as the image runs it: nginx.conf and tinyscale.conf copied as they are, a certificate
 * from make-cert.sh, and a site/ of the test's own (its ports, the upstream servers, temp paths in
 * the work directory, and 127.0.0.1 trusted as a front proxy so a test can say which client it is
 * with X-Forwarded-For).
 */
public final class Nginx implements AutoCloseable {
  /** Debian's nginx (packages nginx-light and libnginx-mod-http-brotli-filter). */
  public static final Path BINARY = Path.of("/usr/sbin/nginx");

  private static final Path CONFIG = TinyscaleUp.REPO.resolve("deploy/nginx");

  public final Path work;
  public final int httpPort;
  public final int httpsPort;

  /** {@code https://127.0.0.1:PORT}. */
  public final String httpsUrl;

  /** {@code http://127.0.0.1:PORT}. */
  public final String httpUrl;

  private final Path log;
  private final Process process;

  /** Starts nginx in {@code work} (emptied first) in front of the app ports {@code upstreams}. */
  public Nginx(Path work, List<Integer> upstreams) {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError(
          "Debian's nginx runs this test: apt-get install nginx-light"
              + " libnginx-mod-http-brotli-filter (./tinyscale test does)");
    }
    this.work = work;
    this.httpPort = Ports.free();
    this.httpsPort = Ports.free();
    this.httpsUrl = "https://127.0.0.1:" + httpsPort;
    this.httpUrl = "http://127.0.0.1:" + httpPort;
    this.log = work.resolve("nginx.log");
    try {
      deleteTree(work);
      Files.createDirectories(work.resolve("site"));
      Files.createDirectories(work.resolve("tmp"));
      for (String file : new String[] {"nginx.conf", "tinyscale.conf"}) {
        Files.copy(CONFIG.resolve(file), work.resolve(file));
      }
      write(
          "site/http.conf",
          "map $host $tinyscale_https_port { default \":" + httpsPort + "\"; }",
          "set_real_ip_from 127.0.0.1;",
          "real_ip_header X-Forwarded-For;",
          "client_body_temp_path tmp/body;",
          "proxy_temp_path tmp/proxy;",
          "fastcgi_temp_path tmp/fastcgi;",
          "uwsgi_temp_path tmp/uwsgi;",
          "scgi_temp_path tmp/scgi;");
      write("site/listen-http.conf", "listen 127.0.0.1:" + httpPort + ";");
      write("site/listen-https.conf", "listen 127.0.0.1:" + httpsPort + " ssl http2;");
      writeUpstreams(upstreams);
      run(
          List.of(
              CONFIG.resolve("make-cert.sh").toString(),
              work.resolve("certs").toString(),
              "localhost"));
      run(command("-t", "-q"));
      process =
          new ProcessBuilder(command())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Waits.until(
        "nginx listening",
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError("nginx exited: " + log());
          }
          return Ports.isListening(httpPort) && Ports.isListening(httpsPort);
        });
  }

  /**
   * Points nginx at other app ports, as an operator would: rewrites site/upstream.conf and reloads
   * (the workers on the old list finish their requests; new connections use the new list).
   */
  public void upstreams(List<Integer> ports) {
    writeUpstreams(ports);
    run(command("-s", "reload"));
  }

  /** The self-signed certificate make-cert.sh made. */
  public Path certificate() {
    return work.resolve("certs/tls.crt");
  }

  /** TLS that trusts this nginx's certificate (and nothing else). */
  public SSLContext tls() {
    try (InputStream in = Files.newInputStream(certificate())) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "tinyscale-test", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client of this nginx: its certificate trusted, redirects not followed. */
  public HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder()
        .version(version)
        .sslContext(tls())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** What nginx has logged: its access log (format tinyscale) and errors. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: nginx's fast shutdown
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<String> command(String... more) {
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.add("-p");
    command.add(work.toString());
    command.add("-c");
    command.add(work.resolve("nginx.conf").toString());
    command.add("-g");
    command.add(
        "daemon off; pid "
            + work.resolve("nginx.pid")
            + "; user "
            + System.getProperty("user.name")
            + ";");
    command.addAll(List.of(more));
    return command;
  }

  private void writeUpstreams(List<Integer> ports) {
    write(
        "site/upstream.conf",
        ports.stream()
            .map(p -> "server 127.0.0.1:" + p + " max_fails=1 fail_timeout=5s;")
            .toArray(String[]::new));
  }

  private void write(String file, String... lines) {
    try {
      Files.writeString(work.resolve(file), String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void run(List<String> command) {
    try {
      Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(child.getInputStream().readAllBytes());
      if (!child.waitFor(30, TimeUnit.SECONDS) || child.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
