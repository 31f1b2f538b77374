package io.tinyscale.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * Redis: {@code TINYSCALE_REDIS_URL} as is; else the Redis on 127.0.0.1:6379; else codemonstur's
 * embedded Redis (the binary it ships) with an append-only file in {@code <home>/redis}.
 */
final class RedisProvisioner implements Provisioner {

  static final String URL = "TINYSCALE_REDIS_URL";

  /**
   * Where to look for a running Redis; tests point it at an unused port to force the embedded one.
   */
  static final String PROBE_PORT = "TINYSCALE_DEVSTACK_REDIS_PORT";

  static final String EMBEDDED_PORT = "TINYSCALE_DEVSTACK_EMBEDDED_REDIS_PORT";
  static final int DEFAULT_PORT = 6379;
  static final int DEFAULT_EMBEDDED_PORT = 63799;
  static final String DATA_DIR = "redis";

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public Optional<Provision> given(Options options) {
    return options.variable(URL).map(url -> Provision.untouched(engine(Origin.GIVEN, url)));
  }

  @Override
  public Optional<Provision> found(Options options) {
    int port = options.port(PROBE_PORT, DEFAULT_PORT);
    return Local.reachable(port)
        ? Optional.of(Provision.untouched(engine(Origin.FOUND, url(port))))
        : Optional.empty();
  }

  @Override
  public Provision start(Options options) {
    Path dir = options.home().resolve(DATA_DIR);
    Path pidFile = dir.resolve("redis.pid");
    int port = options.port(EMBEDDED_PORT, DEFAULT_EMBEDDED_PORT);
    Local.stopLeftover("Redis", pidFile, dir, "redis-server", "TERM", Duration.ofSeconds(20));
    Local.requireFree(port, "Redis", EMBEDDED_PORT, URL);
    RedisServer server;
    try {
      Path bin = Files.createDirectories(dir.resolve("bin"));
      List<String> command =
          new ArrayList<>(
              RedisServer.newRedisServer()
                  // The binary goes under the home too, not into a fresh temp dir per start.
                  .executableProvider(ExecutableProvider.newJarResourceProvider(bin.toFile()))
                  .bind(Local.HOST)
                  .port(port)
                  .setting("dir " + quoted(dir))
                  .setting("pidfile " + quoted(pidFile))
                  .setting("appendonly yes")
                  .setting("appendfsync everysec")
                  .setting("save \"\"")
                  .buildCommandArgs());
      // In a session of its own, as pg_ctl puts Postgres: Ctrl-C at a terminal would otherwise kill
      // Redis at once, under the still running app; this way devstack stops it, after the app.
      // setsid execs Redis in place (same pid), so stopping the process still stops Redis.
      Local.SETSID.ifPresent(setsid -> command.addFirst(setsid.toString()));
      // Without listeners, stderr would never be read; a full pipe would block Redis.
      server = new RedisServer(port, command, false, line -> {}, line -> {});
      server.start();
    } catch (IOException | RuntimeException e) {
      throw new DevStackException(
          "Embedded Redis did not start on "
              + Local.HOST
              + ":"
              + port
              + " with its data"
              + " in "
              + dir
              + " ("
              + Local.rootMessage(e)
              + "). The binary it ships needs libssl3 (apt-get install"
              + " libssl3). Or start a Redis on "
              + Local.HOST
              + ":"
              + DEFAULT_PORT
              + " (apt-get install"
              + " redis-server), or set "
              + URL
              + ".",
          e);
    }
    return new Provision(engine(Origin.STARTED, url(port)), server::stop);
  }

  private Engine engine(Origin origin, String url) {
    return new Engine(name(), origin, Local.masked(url), Map.of(URL, url));
  }

  static String url(int port) {
    return "redis://" + Local.HOST + ":" + port;
  }

  private static String quoted(Path path) {
    return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
