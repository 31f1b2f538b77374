package io.tinyscale.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyscale.testkit.TinyscaleUp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End to end in a browser: the packaged app started by {@code ./tinyscale up}, the dashboard driven
 * in Debian's headless Chromium by dashboard/e2e/journey.mjs (playwright-core, axe-core): register,
 * create a link, see it and its clicks in the table, its analytics, the overview, log out and in.
 * Screenshots in app/target/dashboard-screenshots.
 */
class DashboardIT {
  private static final Path WORK = TinyscaleUp.REPO.resolve("app/target/e2e");
  private static final Path SCREENSHOTS =
      TinyscaleUp.REPO.resolve("app/target/dashboard-screenshots");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void aUserJourneyInTheBrowser() throws IOException, InterruptedException {
    assertThat(CHROMIUM)
        .as(
            "Debian's Chromium runs the browser test: apt-get install chromium (./tinyscale test does)")
        .isExecutable();
    try (TinyscaleUp up =
        new TinyscaleUp(
            WORK.resolve("dashboard"),
            TinyscaleUp.env(
                "TINYSCALE_DB_NAME", "tinyscale_dashboard_e2e",
                // the journey follows its link from addresses of three countries
                "TINYSCALE_TRUSTED_PROXIES", "127.0.0.1/32,::1/128",
                // counts within a second of the clicks, not five
                "TINYSCALE_BATCH_WINDOW", "PT0.5S"))) {
      Path log = WORK.resolve("dashboard-journey.log");
      Process journey =
          new ProcessBuilder(
                  "bash",
                  TinyscaleUp.REPO.resolve("dashboard/npm.sh").toString(),
                  "e2e",
                  "--",
                  up.url,
                  SCREENSHOTS.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean ended = journey.waitFor(4, TimeUnit.MINUTES);
      if (!ended) {
        journey.descendants().forEach(ProcessHandle::destroyForcibly);
        journey.destroyForcibly();
      }
      String output = Files.readString(log);
      System.out.println(output);
      assertThat(ended).as("the journey ended within 4 minutes:\n" + output).isTrue();
      assertThat(journey.exitValue())
          .as(
              "the browser journey (dashboard/e2e/journey.mjs):\n%s\napp log:\n%s",
              output, up.logTail())
          .isZero();
      assertThat(up.stop()).isEmpty();
    }
  }
}
